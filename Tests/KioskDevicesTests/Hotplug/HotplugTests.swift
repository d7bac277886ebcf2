import Testing

/// Namespace of the hotplug, USB and profile tests, so `swift test --filter Hotplug` runs all of
/// them and their helpers never collide with other test files' names.
@Suite enum HotplugTests {}
