/* The same checks, compiled as C++. */
#include "test-headers.c"
