/* generic/wrapper.h - declares nothing itself: the interface is the header it includes. */
#include <sqlite3ext.h>
