/* An SDK-style WCX header, written here for the tests in the shape the
 * Total Commander plugin SDK ships its wcxhead.h: constants, records and
 * callback types only; no function prototypes (the SDK documents them in its
 * help file); Windows types (WCHAR, DWORD, HANDLE, MAX_PATH) and __stdcall
 * taken from <windows.h>; natural (unpacked) record layout. Like older SDK copies, it has no
 * BACKGROUND_* constants (the pack supplies them). */

#define MAX_PATH_EX 1024

#define E_END_ARCHIVE 10
#define E_NO_MEMORY 11
#define E_BAD_DATA 12
#define E_BAD_ARCHIVE 13
#define E_UNKNOWN_FORMAT 14
#define E_EOPEN 15
#define E_ECREATE 16
#define E_ECLOSE 17
#define E_EREAD 18
#define E_EWRITE 19
#define E_SMALL_BUF 20
#define E_EABORTED 21
#define E_NO_FILES 22
#define E_TOO_MANY_FILES 23
#define E_NOT_SUPPORTED 24

#define PK_OM_LIST 0
#define PK_OM_EXTRACT 1

#define PK_SKIP 0
#define PK_TEST 1
#define PK_EXTRACT 2

#define PK_VOL_ASK 0
#define PK_VOL_NOTIFY 1

#define PK_PACK_MOVE_FILES 1
#define PK_PACK_SAVE_PATHS 2
#define PK_PACK_ENCRYPT 4

#define PK_CAPS_NEW 1
#define PK_CAPS_MODIFY 2
#define PK_CAPS_MULTIPLE 4
#define PK_CAPS_DELETE 8
#define PK_CAPS_OPTIONS 16
#define PK_CAPS_MEMPACK 32
#define PK_CAPS_BY_CONTENT 64
#define PK_CAPS_SEARCHTEXT 128
#define PK_CAPS_HIDE 256
#define PK_CAPS_ENCRYPT 512


#define MEM_OPTIONS_WANTHEADERS 1
#define MEMPACK_OK 0
#define MEMPACK_DONE 1

#define PK_CRYPT_SAVE_PASSWORD 1
#define PK_CRYPT_LOAD_PASSWORD 2
#define PK_CRYPT_LOAD_PASSWORD_NO_UI 3
#define PK_CRYPT_COPY_PASSWORD 4
#define PK_CRYPT_MOVE_PASSWORD 5
#define PK_CRYPT_DELETE_PASSWORD 6
#define PK_CRYPTOPT_MASTERPASS_SET 1

typedef struct {
    char ArcName[MAX_PATH];
    char FileName[MAX_PATH];
    int Flags;
    int PackSize;
    int UnpSize;
    int HostOS;
    int FileCRC;
    int FileTime;
    int UnpVer;
    int Method;
    int FileAttr;
    char *CmtBuf;
    int CmtBufSize;
    int CmtSize;
    int CmtState;
} tHeaderData;

typedef struct {
    char ArcName[MAX_PATH_EX];
    char FileName[MAX_PATH_EX];
    int Flags;
    unsigned int PackSize;
    unsigned int PackSizeHigh;
    unsigned int UnpSize;
    unsigned int UnpSizeHigh;
    int HostOS;
    int FileCRC;
    int FileTime;
    int UnpVer;
    int Method;
    int FileAttr;
    char *CmtBuf;
    int CmtBufSize;
    int CmtSize;
    int CmtState;
    char Reserved[1024];
} tHeaderDataEx;

typedef struct {
    WCHAR ArcName[MAX_PATH_EX];
    WCHAR FileName[MAX_PATH_EX];
    int Flags;
    unsigned int PackSize;
    unsigned int PackSizeHigh;
    unsigned int UnpSize;
    unsigned int UnpSizeHigh;
    int HostOS;
    int FileCRC;
    int FileTime;
    int UnpVer;
    int Method;
    int FileAttr;
    char *CmtBuf;
    int CmtBufSize;
    int CmtSize;
    int CmtState;
    char Reserved[1024];
} tHeaderDataExW;

typedef struct {
    char *ArcName;
    int OpenMode;
    int OpenResult;
    char *CmtBuf;
    int CmtBufSize;
    int CmtSize;
    int CmtState;
} tOpenArchiveData;

typedef struct {
    WCHAR *ArcName;
    int OpenMode;
    int OpenResult;
    WCHAR *CmtBuf;
    int CmtBufSize;
    int CmtSize;
    int CmtState;
} tOpenArchiveDataW;

typedef struct {
    int size;
    DWORD PluginInterfaceVersionLow;
    DWORD PluginInterfaceVersionHi;
    char DefaultIniName[MAX_PATH];
} PackDefaultParamStruct;

typedef int (__stdcall *tChangeVolProc)(char *ArcName, int Mode);
typedef int (__stdcall *tChangeVolProcW)(WCHAR *ArcName, int Mode);
typedef int (__stdcall *tProcessDataProc)(char *FileName, int Size);
typedef int (__stdcall *tProcessDataProcW)(WCHAR *FileName, int Size);
typedef int (__stdcall *tPkCryptProc)(int CryptoNr, int Mode, char *ArchiveName, char *Password, int maxlen);
typedef int (__stdcall *tPkCryptProcW)(int CryptoNr, int Mode, WCHAR *ArchiveName, WCHAR *Password, int maxlen);
