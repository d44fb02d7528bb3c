/* stdcall.h - a Windows-style plugin header: calling conventions and
 * target-dependent sizes. Parsed for i686-pc-windows-msvc (stdcall),
 * x86_64-pc-windows-msvc (long is 32-bit, stdcall ignored) and the host. */
#ifndef STDCALL_H
#define STDCALL_H

#include <stdint.h>

#define WINAPI __stdcall
#define CALLBACK __stdcall

typedef unsigned long DWORD;
typedef int BOOL;
typedef uint16_t WCHAR;

/** Reports progress; returns 0 to cancel. */
typedef int (CALLBACK *ProgressProc)(const WCHAR *name, DWORD done);

typedef struct Header {
    DWORD size;
    long count;
    ProgressProc progress;
} Header;

/** Opens an archive. */
int WINAPI OpenArchive(const char *path, int mode);
DWORD WINAPI GetVersion(void);
void WINAPI SetProgress(ProgressProc proc);
BOOL WINAPI ReadHeader(Header *header);
/** Variadic functions are always cdecl. */
int __cdecl Sum(int n, ...);
long Count(long n);

#endif
