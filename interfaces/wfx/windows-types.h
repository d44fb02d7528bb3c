/* windows-types.h - what a WFX SDK header (fsplugin.h, wfxplugin.h) takes
 * from <windows.h>, as the hosts define it: included by the pack's own
 * wfxplugin.h, and force-included by epy's wfx pack before an SDK header.
 *
 * MAX_PATH is the host's: Double Commander is Pascal, and in its WFX units
 * MAX_PATH is Free Pascal's 4096 on Linux (not the C SDK's 260); Total
 * Commander (Windows) uses 260. DWORD is 32-bit, WCHAR a 16-bit UTF-16
 * unit, BOOL 32-bit, HANDLE pointer-sized. */
#ifndef EPY_WFX_WINDOWS_TYPES_H
#define EPY_WFX_WINDOWS_TYPES_H
#include <stdint.h>

#ifdef _WIN32
#define DCPCALL __stdcall
/** Path buffer length of the host's records (Total Commander). */
#define MAX_PATH 260
#else
#define DCPCALL
#define __stdcall
/** Path buffer length of the host's records (Free Pascal's, in Double Commander). */
#define MAX_PATH 4096
#endif

typedef uint32_t DWORD;
typedef uint16_t WCHAR;
typedef int BOOL;
typedef void *HANDLE;
typedef void *HWND;
typedef void *HICON;
typedef void *HBITMAP;

/** A Windows file time: 100-ns intervals since 1601-01-01 UTC. Packed (the
 * same 8 bytes): records that embed it are packed on some hosts. */
#pragma pack(push, 1)
typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME;
#pragma pack(pop)

/* Double Commander's records are packed Pascal records on Linux; Total
 * Commander's WIN32_FIND_DATA keep Windows' natural layout. */
#ifndef _WIN32
#pragma pack(push, 1)
#endif
/** One directory entry (ANSI): 4154 bytes in Double Commander on Linux, 320 on Windows. */
typedef struct _WIN32_FIND_DATAA {
    /** FILE_ATTRIBUTE_* flags; FILE_ATTRIBUTE_UNIX_MODE: dwReserved0 is a Unix st_mode. */
    DWORD dwFileAttributes;
    FILETIME ftCreationTime;
    FILETIME ftLastAccessTime;
    FILETIME ftLastWriteTime;
    DWORD nFileSizeHigh;
    DWORD nFileSizeLow;
    /** The Unix st_mode when dwFileAttributes has FILE_ATTRIBUTE_UNIX_MODE. */
    DWORD dwReserved0;
    DWORD dwReserved1;
    char cFileName[MAX_PATH];
    char cAlternateFileName[14];
} WIN32_FIND_DATAA;
/** One directory entry (Unicode): 8264 bytes in Double Commander on Linux, 592 on Windows. */
typedef struct _WIN32_FIND_DATAW {
    DWORD dwFileAttributes;
    FILETIME ftCreationTime;
    FILETIME ftLastAccessTime;
    FILETIME ftLastWriteTime;
    DWORD nFileSizeHigh;
    DWORD nFileSizeLow;
    DWORD dwReserved0;
    DWORD dwReserved1;
    WCHAR cFileName[MAX_PATH];
    WCHAR cAlternateFileName[14];
} WIN32_FIND_DATAW;
#ifndef _WIN32
#pragma pack(pop)
#endif

#endif
