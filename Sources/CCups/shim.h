// Debian's libcups2-dev ships no pkg-config file: the module map links "cups" itself.
#include <cups/cups.h>
#include <cups/ipp.h>
