// libpq, PostgreSQL's own client library (Debian: libpq-dev; pkg-config "libpq" gives the
// include path /usr/include/postgresql).
#include <libpq-fe.h>
