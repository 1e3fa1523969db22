/* bead_int.h - the sentence aligner's declarations now live in align.h;
 * this name is kept until every include is moved. */
#ifndef BT_BEAD_INT_H
#define BT_BEAD_INT_H
#include "align.h"
#endif
