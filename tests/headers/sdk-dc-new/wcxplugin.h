/* A WCX header in the shape of Double Commander's current SDK (wcxplugin.h,
 * whose tHeaderDataExW ends with an MfileTime that 1.0.10 does not allocate),
 * written here for the tests: it includes the SDK's common.h for the Windows types
 * (DWORD there is `unsigned long`), uses DCPCALL in its callback types,
 * declares no functions and leaves the records unpacked. */
#include "common.h"


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

#define BACKGROUND_UNPACK 1
#define BACKGROUND_PACK 2
#define BACKGROUND_MEMPACK 4

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
    /** Newer SDK copies append this; Double Commander 1.0.10 does not allocate it. */
    unsigned long long MfileTime;
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

typedef int (DCPCALL *tChangeVolProc)(char *ArcName, int Mode);
typedef int (DCPCALL *tChangeVolProcW)(WCHAR *ArcName, int Mode);
typedef int (DCPCALL *tProcessDataProc)(char *FileName, int Size);
typedef int (DCPCALL *tProcessDataProcW)(WCHAR *FileName, int Size);
typedef int (DCPCALL *tPkCryptProc)(int CryptoNr, int Mode, char *ArchiveName, char *Password, int maxlen);
typedef int (DCPCALL *tPkCryptProcW)(int CryptoNr, int Mode, WCHAR *ArchiveName, WCHAR *Password, int maxlen);
