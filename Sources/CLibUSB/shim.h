#include <libusb-1.0/libusb.h>

// libusb_set_option is variadic: Swift cannot call it directly.
static inline int kiosk_libusb_set_debug_none(libusb_context *ctx) {
    return libusb_set_option(ctx, LIBUSB_OPTION_LOG_LEVEL, LIBUSB_LOG_LEVEL_NONE);
}
