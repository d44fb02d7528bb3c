/* wfxplugin.h - the WFX file-system plugin interface (Total Commander on
 * Windows, Double Commander on Linux), written for epy from the interface's
 * documented names, types and values, with the records the hosts allocate
 * (see windows-types.h: MAX_PATH 4096 in Double Commander on Linux). */
#ifndef WFXPLUGIN_H
#define WFXPLUGIN_H
#include "windows-types.h"

/* FsGetFile/FsPutFile/FsRenMovFile results. */
#define FS_FILE_OK 0
#define FS_FILE_EXISTS 1
#define FS_FILE_NOTFOUND 2
#define FS_FILE_READERROR 3
#define FS_FILE_WRITEERROR 4
#define FS_FILE_USERABORT 5
#define FS_FILE_NOTSUPPORTED 6
#define FS_FILE_EXISTSRESUMEALLOWED 7

/* FsExecuteFile results. */
#define FS_EXEC_OK 0
#define FS_EXEC_ERROR 1
#define FS_EXEC_YOURSELF -1
#define FS_EXEC_SYMLINK -2

/* CopyFlags. */
#define FS_COPYFLAGS_OVERWRITE 1
#define FS_COPYFLAGS_RESUME 2
#define FS_COPYFLAGS_MOVE 4
#define FS_COPYFLAGS_EXISTS_SAMECASE 8
#define FS_COPYFLAGS_EXISTS_DIFFERENTCASE 16

/* RequestProc types. */
#define RT_Other 0
#define RT_UserName 1
#define RT_Password 2
#define RT_Account 3
#define RT_UserNameFirewall 4
#define RT_PasswordFirewall 5
#define RT_TargetDir 6
#define RT_URL 7
#define RT_MsgOK 8
#define RT_MsgYesNo 9
#define RT_MsgOKCancel 10

/* LogProc message types. */
#define MSGTYPE_CONNECT 1
#define MSGTYPE_DISCONNECT 2
#define MSGTYPE_DETAILS 3
#define MSGTYPE_TRANSFERCOMPLETE 4
#define MSGTYPE_CONNECTCOMPLETE 5
#define MSGTYPE_IMPORTANTERROR 6
#define MSGTYPE_OPERATIONCOMPLETE 7

/* FsStatusInfo. */
#define FS_STATUS_START 0
#define FS_STATUS_END 1
#define FS_STATUS_OP_LIST 1
#define FS_STATUS_OP_GET_SINGLE 2
#define FS_STATUS_OP_GET_MULTI 3
#define FS_STATUS_OP_PUT_SINGLE 4
#define FS_STATUS_OP_PUT_MULTI 5
#define FS_STATUS_OP_RENMOV_SINGLE 6
#define FS_STATUS_OP_RENMOV_MULTI 7
#define FS_STATUS_OP_DELETE 8
#define FS_STATUS_OP_ATTRIB 9
#define FS_STATUS_OP_MKDIR 10
#define FS_STATUS_OP_EXEC 11
#define FS_STATUS_OP_CALCSIZE 12
#define FS_STATUS_OP_SEARCH 13
#define FS_STATUS_OP_SEARCH_TEXT 14
#define FS_STATUS_OP_SYNC_SEARCH 15
#define FS_STATUS_OP_SYNC_GET 16
#define FS_STATUS_OP_SYNC_PUT 17
#define FS_STATUS_OP_SYNC_DELETE 18
#define FS_STATUS_OP_GET_MULTI_THREAD 19
#define FS_STATUS_OP_PUT_MULTI_THREAD 20

/* FsGetBackgroundFlags. */
#define BG_DOWNLOAD 1
#define BG_UPLOAD 2
#define BG_ASK_USER 4

/* CryptProc modes. */
#define FS_CRYPT_SAVE_PASSWORD 1
#define FS_CRYPT_LOAD_PASSWORD 2
#define FS_CRYPT_LOAD_PASSWORD_NO_UI 3
#define FS_CRYPT_COPY_PASSWORD 4
#define FS_CRYPT_MOVE_PASSWORD 5
#define FS_CRYPT_DELETE_PASSWORD 6
#define FS_CRYPTOPT_MASTERPASS_SET 1

/* File attributes. */
#define FILE_ATTRIBUTE_READONLY 1
#define FILE_ATTRIBUTE_HIDDEN 2
#define FILE_ATTRIBUTE_SYSTEM 4
#define FILE_ATTRIBUTE_DIRECTORY 16
#define FILE_ATTRIBUTE_ARCHIVE 32
#define FILE_ATTRIBUTE_NORMAL 128
#define FILE_ATTRIBUTE_REPARSE_POINT 1024
/** Double Commander: dwReserved0 holds the entry's Unix st_mode. */
#define FILE_ATTRIBUTE_UNIX_MODE 0x80000000
/** FsFindFirst's result for an empty or failed listing: the handle (HANDLE)-1
 * (NULL is a valid handle). From Python, raise Error(code) or return an empty
 * iterable; epy gives the host this value. */
#define INVALID_HANDLE_VALUE ((HANDLE)(intptr_t)-1)
/** What FsFindFirst sets (GetLastError) for an empty folder. */
#define ERROR_NO_MORE_FILES 18

#pragma pack(push, 1)
/** What FsGetFile/FsRenMovFile get about the remote file. */
typedef struct RemoteInfoStruct {
    DWORD SizeLow;
    DWORD SizeHigh;
    FILETIME LastWriteTime;
    int Attr;
} RemoteInfoStruct;
#pragma pack(pop)

#ifndef _WIN32
#pragma pack(push, 1)
#endif
/** Passed to FsSetDefaultParams: 4108 bytes in Double Commander on Linux, 272 on Windows. */
typedef struct FsDefaultParamStruct {
    int size;
    DWORD PluginInterfaceVersionLow;
    DWORD PluginInterfaceVersionHi;
    char DefaultIniName[MAX_PATH];
} FsDefaultParamStruct;
#ifndef _WIN32
#pragma pack(pop)
#endif

/** Reports progress; returns 1 when the user pressed Cancel. */
typedef int (DCPCALL *tProgressProc)(int PluginNr, char *SourceName, char *TargetName, int PercentDone);
typedef int (DCPCALL *tProgressProcW)(int PluginNr, WCHAR *SourceName, WCHAR *TargetName, int PercentDone);
/** Writes a line to the host's log (MSGTYPE_*). */
typedef void (DCPCALL *tLogProc)(int PluginNr, int MsgType, char *LogString);
typedef void (DCPCALL *tLogProcW)(int PluginNr, int MsgType, WCHAR *LogString);
/** Asks the user (RT_*); returns TRUE on OK/Yes. */
typedef BOOL (DCPCALL *tRequestProc)(int PluginNr, int RequestType, char *CustomTitle, char *CustomText, char *ReturnedText, int maxlen);
typedef BOOL (DCPCALL *tRequestProcW)(int PluginNr, int RequestType, WCHAR *CustomTitle, WCHAR *CustomText, WCHAR *ReturnedText, int maxlen);
/** Password storage of the host. */
typedef int (DCPCALL *tCryptProc)(int PluginNr, int CryptoNr, int Mode, char *ConnectionName, char *Password, int maxlen);
typedef int (DCPCALL *tCryptProcW)(int PluginNr, int CryptoNr, int Mode, WCHAR *ConnectionName, WCHAR *Password, int maxlen);

#include "wfxexports.h"
#endif
