/* windows-types.h - what a Total Commander SDK header (wcxhead.h) takes from
 * <windows.h>, as the hosts define it: included by the pack's own wcxhead.h,
 * and force-included by epy's wcx pack before an SDK header. DWORD is 32-bit and WCHAR a 16-bit
 * UTF-16 unit for Double Commander on Linux as for Total Commander. */
#ifndef EPY_WCX_WINDOWS_TYPES_H
#define EPY_WCX_WINDOWS_TYPES_H
#include <stdint.h>

#ifdef _WIN32
#define DCPCALL __stdcall
#else
#define DCPCALL
#define __stdcall
#endif

typedef uint32_t DWORD;
typedef uint16_t WCHAR;
typedef int BOOL;
typedef void *HANDLE;
typedef void *HWND;
typedef void *HINSTANCE;
/** Path buffer length used by the ANSI records. */
#define MAX_PATH 260

#endif
