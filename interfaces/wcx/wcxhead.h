/* wcxhead.h - the WCX 2.x packer plugin interface (Total Commander on
 * Windows, Double Commander on Linux), written for epy from the interface's
 * documented names, types and values.
 *
 * What differs from the SDK copies, and why:
 *  - DWORD is 32-bit and WCHAR is a 16-bit UTF-16 unit on every platform
 *    (older headers say `unsigned long` / `wchar_t`, 64 and 32 bits on Linux:
 *    wrong for Double Commander, which passes PackDefaultParamStruct.size = 272).
 *  - The header records are packed: Double Commander's Pascal records are, and the
 *    host's buffers are 576/3136/5184 bytes (C's natural layout would write
 *    8 bytes past them). On Windows the packed layout equals Total Commander's.
 *  - DCPCALL is __stdcall on Windows and the C convention elsewhere.
 *  - FileTime is a Unix time_t on Linux hosts and a DOS date/time on Windows;
 *    FileAttr is a Unix st_mode on Linux. */
#ifndef WCXHEAD_H
#define WCXHEAD_H

/* DWORD, WCHAR, HANDLE, …, DCPCALL and MAX_PATH, as the hosts define them
 * (the same file the pack puts before an SDK header). */
#include "windows-types.h"

/* Error codes returned to the host. */
/** No more files in the archive. */
#define E_END_ARCHIVE 10
/** Not enough memory. */
#define E_NO_MEMORY 11
/** CRC error in the data of the currently unpacked file. */
#define E_BAD_DATA 12
/** The archive is damaged. */
#define E_BAD_ARCHIVE 13
/** Archive format unknown. */
#define E_UNKNOWN_FORMAT 14
/** Cannot open the existing file. */
#define E_EOPEN 15
/** Cannot create the file. */
#define E_ECREATE 16
/** Error closing the file. */
#define E_ECLOSE 17
/** Error reading from the file. */
#define E_EREAD 18
/** Error writing to the file. */
#define E_EWRITE 19
/** Buffer too small. */
#define E_SMALL_BUF 20
/** Function aborted by the user. */
#define E_EABORTED 21
/** No files found. */
#define E_NO_FILES 22
/** Too many files to pack. */
#define E_TOO_MANY_FILES 23
/** Function not supported. */
#define E_NOT_SUPPORTED 24

/* OpenArchive modes. */
/** Open the archive to list its contents. */
#define PK_OM_LIST 0
/** Open the archive to extract (or test) members. */
#define PK_OM_EXTRACT 1

/* ProcessFile operations. */
/** Skip the current member. */
#define PK_SKIP 0
/** Test the current member. */
#define PK_TEST 1
/** Extract the current member. */
#define PK_EXTRACT 2

/* ChangeVolProc modes. */
#define PK_VOL_ASK 0
#define PK_VOL_NOTIFY 1

/* PackFiles flags. */
/** Delete the original files after packing. */
#define PK_PACK_MOVE_FILES 1
/** Store the paths given in AddList. */
#define PK_PACK_SAVE_PATHS 2
#define PK_PACK_ENCRYPT 4

/* GetPackerCaps flags. */
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

/* GetBackgroundFlags flags. */
#define BACKGROUND_UNPACK 1
#define BACKGROUND_PACK 2
#define BACKGROUND_MEMPACK 4

/* PkCryptProc modes. */
#define PK_CRYPT_SAVE_PASSWORD 1
#define PK_CRYPT_LOAD_PASSWORD 2
#define PK_CRYPT_LOAD_PASSWORD_NO_UI 3
#define PK_CRYPT_COPY_PASSWORD 4
#define PK_CRYPT_MOVE_PASSWORD 5
#define PK_CRYPT_DELETE_PASSWORD 6
#define PK_CRYPTOPT_MASTERPASS_SET 1

#pragma pack(push, 1)

/** One archive member (ANSI, ReadHeader). */
typedef struct tHeaderData {
    char ArcName[MAX_PATH];
    char FileName[MAX_PATH];
    int Flags;
    int PackSize;
    int UnpSize;
    int HostOS;
    int FileCRC;
    /** Unix time_t on Linux hosts, DOS date/time on Windows. */
    int FileTime;
    int UnpVer;
    int Method;
    /** Unix st_mode on Linux hosts, FILE_ATTRIBUTE_* on Windows. */
    int FileAttr;
    char *CmtBuf;
    int CmtBufSize;
    int CmtSize;
    int CmtState;
} tHeaderData;

/** One archive member with 64-bit sizes (ANSI, ReadHeaderEx). */
typedef struct tHeaderDataEx {
    char ArcName[1024];
    char FileName[1024];
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

/** One archive member with 64-bit sizes (Unicode, ReadHeaderExW). */
typedef struct tHeaderDataExW {
    WCHAR ArcName[1024];
    WCHAR FileName[1024];
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

/** Passed once to PackSetDefaultParams. */
typedef struct PackDefaultParamStruct {
    int size;
    DWORD PluginInterfaceVersionLow;
    DWORD PluginInterfaceVersionHi;
    char DefaultIniName[MAX_PATH];
} PackDefaultParamStruct;

#pragma pack(pop)

/* The open-archive records keep C's natural layout (as the hosts do). */

/** What OpenArchive receives (ANSI). */
typedef struct tOpenArchiveData {
    char *ArcName;
    /** PK_OM_LIST or PK_OM_EXTRACT. */
    int OpenMode;
    /** Set to an E_ code when OpenArchive fails. */
    int OpenResult;
    char *CmtBuf;
    int CmtBufSize;
    int CmtSize;
    int CmtState;
} tOpenArchiveData;

/** What OpenArchiveW receives (Unicode). */
typedef struct tOpenArchiveDataW {
    WCHAR *ArcName;
    int OpenMode;
    int OpenResult;
    WCHAR *CmtBuf;
    int CmtBufSize;
    int CmtSize;
    int CmtState;
} tOpenArchiveDataW;


/** Asks for the next volume of a multi-volume archive (ANSI). */
typedef int (DCPCALL *tChangeVolProc)(char *ArcName, int Mode);
typedef int (DCPCALL *tChangeVolProcW)(WCHAR *ArcName, int Mode);
/** Reports progress; returns 0 to abort. */
typedef int (DCPCALL *tProcessDataProc)(char *FileName, int Size);
typedef int (DCPCALL *tProcessDataProcW)(WCHAR *FileName, int Size);
/** Password storage of the host. */
typedef int (DCPCALL *tPkCryptProc)(int CryptoNr, int Mode, char *ArchiveName, char *Password, int maxlen);
typedef int (DCPCALL *tPkCryptProcW)(int CryptoNr, int Mode, WCHAR *ArchiveName, WCHAR *Password, int maxlen);

/* The exports (one file, so the pack gives the same ones for SDK headers). */
#include "wcxexports.h"

#endif
