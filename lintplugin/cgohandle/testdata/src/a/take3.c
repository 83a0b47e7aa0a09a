#include <stdint.h>

void take3(uintptr_t h) { (void)h; }
