#include <alsa/asoundlib.h>

// libasound prints its own errors to stderr; the voice device reports them as its health instead.
// The handler is variadic, which Swift cannot write, so it lives here.
static void kiosk_alsa_silent_error(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}
static inline void kiosk_alsa_silence_errors(void) { snd_lib_error_set_handler(kiosk_alsa_silent_error); }
