/* An SDK-style WFX header, written here for the tests in the shape Total
 * Commander's plugin SDK ships its fsplugin.h: constants, records and
 * callback types only, no function prototypes; WIN32_FIND_DATA, FILETIME,
 * MAX_PATH and the Windows types taken from <windows.h>. */

#define FS_FILE_OK 0
#define FS_FILE_EXISTS 1
#define FS_FILE_NOTFOUND 2
#define FS_FILE_READERROR 3
#define FS_FILE_WRITEERROR 4
#define FS_FILE_USERABORT 5
#define FS_FILE_NOTSUPPORTED 6
#define FS_FILE_EXISTSRESUMEALLOWED 7
#define FS_EXEC_OK 0
#define FS_EXEC_ERROR 1
#define FS_EXEC_YOURSELF -1
#define FS_EXEC_SYMLINK -2
#define FS_STATUS_START 0
#define FS_STATUS_END 1
#define FS_STATUS_OP_LIST 1

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

typedef int (__stdcall *tProgressProc)(int PluginNr, char *SourceName, char *TargetName, int PercentDone);
typedef int (__stdcall *tProgressProcW)(int PluginNr, WCHAR *SourceName, WCHAR *TargetName, int PercentDone);
typedef void (__stdcall *tLogProc)(int PluginNr, int MsgType, char *LogString);
typedef void (__stdcall *tLogProcW)(int PluginNr, int MsgType, WCHAR *LogString);
typedef BOOL (__stdcall *tRequestProc)(int PluginNr, int RequestType, char *CustomTitle, char *CustomText, char *ReturnedText, int maxlen);
typedef BOOL (__stdcall *tRequestProcW)(int PluginNr, int RequestType, WCHAR *CustomTitle, WCHAR *CustomText, WCHAR *ReturnedText, int maxlen);
typedef int (__stdcall *tCryptProc)(int PluginNr, int CryptoNr, int Mode, char *ConnectionName, char *Password, int maxlen);
typedef int (__stdcall *tCryptProcW)(int PluginNr, int CryptoNr, int Mode, WCHAR *ConnectionName, WCHAR *Password, int maxlen);
