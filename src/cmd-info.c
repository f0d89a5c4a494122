// SPDX-License-Identifier: GPL-2.0
#include "builtin.h"
#include "util.h"
int cmd_info(int argc, char **argv) { die("not yet"); }
