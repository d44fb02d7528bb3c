/* hostconf.h: the host's configuration, included by hostapi.h. */
typedef unsigned long long host_Unsigned;
