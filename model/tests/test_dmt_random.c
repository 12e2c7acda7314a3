#include "tu.h"
void suite_dmt_random(void) {}
