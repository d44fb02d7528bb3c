/* A WFX header in the shape of Double Commander's C SDK (wfxplugin.h),
 * written here for the tests: it includes the SDK's common.h (MAX_PATH 260,
 * a 64-bit DWORD) and declares WIN32_FIND_DATA and FILETIME itself, in C's
 * natural 260-character layout: not what Double Commander allocates on
 * Linux (MAX_PATH 4096, packed), so the wfx pack keeps its own records. */
#include "common.h"

#define FS_FILE_OK 0
#define FS_FILE_NOTFOUND 2
#define FS_EXEC_SYMLINK -2
#define FS_STATUS_OP_LIST 1

typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME;

typedef struct _WIN32_FIND_DATAA {
    DWORD dwFileAttributes;
    FILETIME ftCreationTime;
    FILETIME ftLastAccessTime;
    FILETIME ftLastWriteTime;
    DWORD nFileSizeHigh;
    DWORD nFileSizeLow;
    DWORD dwReserved0;
    DWORD dwReserved1;
    char cFileName[MAX_PATH];
    char cAlternateFileName[14];
} WIN32_FIND_DATAA;

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

typedef struct {
    DWORD SizeLow, SizeHigh;
    FILETIME LastWriteTime;
    int Attr;
} RemoteInfoStruct;

typedef struct {
    int size;
    DWORD PluginInterfaceVersionLow;
    DWORD PluginInterfaceVersionHi;
    char DefaultIniName[MAX_PATH];
} FsDefaultParamStruct;

typedef int (DCPCALL *tProgressProc)(int PluginNr, char *SourceName, char *TargetName, int PercentDone);
typedef int (DCPCALL *tProgressProcW)(int PluginNr, WCHAR *SourceName, WCHAR *TargetName, int PercentDone);
typedef void (DCPCALL *tLogProc)(int PluginNr, int MsgType, char *LogString);
typedef void (DCPCALL *tLogProcW)(int PluginNr, int MsgType, WCHAR *LogString);
typedef BOOL (DCPCALL *tRequestProc)(int PluginNr, int RequestType, char *CustomTitle, char *CustomText, char *ReturnedText, int maxlen);
typedef BOOL (DCPCALL *tRequestProcW)(int PluginNr, int RequestType, WCHAR *CustomTitle, WCHAR *CustomText, WCHAR *ReturnedText, int maxlen);
typedef int (DCPCALL *tCryptProc)(int PluginNr, int CryptoNr, int Mode, char *ConnectionName, char *Password, int maxlen);
typedef int (DCPCALL *tCryptProcW)(int PluginNr, int CryptoNr, int Mode, WCHAR *ConnectionName, WCHAR *Password, int maxlen);
