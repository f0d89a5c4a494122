// SPDX-License-Identifier: GPL-2.0
#include "builtin.h"
#include "util.h"
int cmd_report(int argc, char **argv) { die("not yet"); }
