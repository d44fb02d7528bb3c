/* A common.h in the shape of Double Commander's plugin SDK, written here for
 * the tests: the SDK defines the Windows types itself, and (as older copies
 * do) makes DWORD an `unsigned long`, 64-bit on Linux: the wcx pack's
 * [types] must turn it back into the host's 32 bits. */
#ifndef DC_COMMON_H
#define DC_COMMON_H
#include <stdint.h>

#ifdef _WIN32
#define DCPCALL __stdcall
#else
#define DCPCALL
#endif

typedef unsigned long DWORD;
typedef uint16_t WCHAR;
typedef int BOOL;
typedef void *HANDLE;
typedef void *HWND;
typedef void *HINSTANCE;
#define MAX_PATH 260

#endif
