/* wdxplugin.h - the WDX content plugin interface 2.x (Total Commander on
 * Windows, Double Commander on Linux), written for epy from the interface's
 * documented names, types and values.
 *
 * What differs from the SDK copies, and why:
 *  - MAX_PATH is 4096 on Linux: Double Commander is Pascal and its SDK unit
 *    takes FPC's MAX_PATH, so the host's ContentDefaultParamStruct is 4108
 *    bytes (the C SDK's common.h says 260: 272 bytes). Windows keeps 260.
 *  - DWORD is 32-bit, WORD 16-bit and WCHAR a 16-bit UTF-16 unit everywhere.
 *  - The records are packed (Pascal records; equal to the natural layout
 *    here, as every member is 2 or 4 bytes wide).
 *  - DCPCALL is __stdcall on Windows and the C convention elsewhere.
 * What the host allocates (Double Commander 1.0.10): ContentGetValue(W) gets
 * a 2049-byte value buffer, ContentGetSupportedField two 256-byte buffers,
 * ContentGetDetectString 2048 bytes. */
#ifndef WDXPLUGIN_H
#define WDXPLUGIN_H
#include <stdint.h>

#ifdef _WIN32
#define DCPCALL __stdcall
/** Path buffer length of ContentDefaultParamStruct (Total Commander). */
#define MAX_PATH 260
#else
#define DCPCALL
/** Path buffer length of ContentDefaultParamStruct (FPC's, Double Commander on Linux). */
#define MAX_PATH 4096
#endif

typedef uint32_t DWORD;
typedef uint16_t WORD;
typedef uint16_t WCHAR;
typedef void *HWND;

/* Field types: what ContentGetSupportedField declares and ContentGetValue returns. */
/** ContentGetSupportedField: no field at this index (the host stops asking). */
#define ft_nomorefields 0
/** A 32-bit signed integer. */
#define ft_numeric_32 1
/** A 64-bit signed integer. */
#define ft_numeric_64 2
/** A double, optionally followed by its text. */
#define ft_numeric_floating 3
/** A tdateformat (year, month, day). */
#define ft_date 4
/** A ttimeformat (hour, minute, second). */
#define ft_time 5
/** A 32-bit int: 0 false, else true. */
#define ft_boolean 6
/** One of the choices listed in Units, as text. */
#define ft_multiplechoice 7
/** Text in the system encoding. */
#define ft_string 8
/** Long text in chunks (UnitIndex: the offset in bytes), for searching. */
#define ft_fulltext 9
/** A FILETIME (100 ns intervals since 1601-01-01 UTC). */
#define ft_datetime 10
/** UTF-16 text (ContentGetValueW). */
#define ft_stringw 11
/** Long UTF-16 text in chunks (UnitIndex: the offset in bytes). */
#define ft_fulltextw 12

/* ContentGetValue results besides a field type. */
/** Error: no field at this index. */
#define ft_nosuchfield -1
/** The file could not be read. */
#define ft_fileerror -2
/** The field is valid but empty for this file. */
#define ft_fieldempty -3
/** The field is retrieved only when the user asks (Total Commander: space bar). */
#define ft_ondemand -4
/** The function is not supported. */
#define ft_notsupported -5
/** The user cancelled the field editor. */
#define ft_setcancel -6
/** Slow field asked with CONTENT_DELAYIFSLOW: the host asks again in the background. */
#define ft_delayed 0

/** ContentSetValue: the value was set. */
#define ft_setsuccess 0

/* ContentGetSupportedFieldFlags. */
#define contflags_edit 1
#define contflags_substsize 2
#define contflags_substdatetime 4
#define contflags_substdate 6
#define contflags_substtime 8
#define contflags_substattributes 10
#define contflags_substattributestr 12
#define contflags_passthrough_size_float 14
#define contflags_substmask 14
#define contflags_fieldedit 16

/* ContentSendStateInformation states. */
#define contst_readnewdir 1
#define contst_refreshpressed 2
#define contst_showhint 4

/* ContentSetValue flags. */
#define setflags_first_attribute 1
#define setflags_last_attribute 2
#define setflags_only_date 4

#define editflags_initialize 1

/* ContentGetValue flags. */
/** Called in the foreground: a slow field may return ft_delayed. */
#define CONTENT_DELAYIFSLOW 1
/** contflags_passthrough_size_float: the size arrives as a double in FieldValue. */
#define CONTENT_PASSTHROUGH 2

#pragma pack(push, 1)
/** What the host tells the plugin after loading it. */
typedef struct {
    /** sizeof the struct as the host allocates it (4108 on Linux, 272 on Windows). */
    int size;
    DWORD PluginInterfaceVersionLow;
    DWORD PluginInterfaceVersionHi;
    /** Suggested ini file for the plugin's settings. */
    char DefaultIniName[MAX_PATH];
} ContentDefaultParamStruct;

/** The value of an ft_date field. */
typedef struct {
    WORD wYear;
    WORD wMonth;
    WORD wDay;
} tdateformat;

/** The value of an ft_time field. */
typedef struct {
    WORD wHour;
    WORD wMinute;
    WORD wSecond;
} ttimeformat;
#pragma pack(pop)

/** Writes the detect string (which files the plugin handles, e.g. `EXT="PNG"`). */
int DCPCALL ContentGetDetectString(char *DetectString, int maxlen);
/** Names field FieldIndex and its units (`a|b|c`); returns its ft_* type, ft_nomorefields past the last. */
int DCPCALL ContentGetSupportedField(int FieldIndex, char *FieldName, char *Units, int maxlen);
/** Writes the value of field FieldIndex for FileName into FieldValue (maxlen bytes); returns its ft_* type or an ft_* result. */
int DCPCALL ContentGetValue(char *FileName, int FieldIndex, int UnitIndex, void *FieldValue, int maxlen, int flags);
int DCPCALL ContentGetValueW(WCHAR *FileName, int FieldIndex, int UnitIndex, void *FieldValue, int maxlen, int flags);
/** Called once after loading, before any other function. */
void DCPCALL ContentSetDefaultParams(ContentDefaultParamStruct *dps);
/** Called before the host unloads the plugin. */
void DCPCALL ContentPluginUnloading(void);
/** The host wants a running ContentGetValue for FileName to stop. */
void DCPCALL ContentStopGetValue(char *FileName);
void DCPCALL ContentStopGetValueW(WCHAR *FileName);
/** 1: ascending by default, -1: descending. */
int DCPCALL ContentGetDefaultSortOrder(int FieldIndex);
/** contflags_* of field FieldIndex (-1: of all fields, or-ed). */
int DCPCALL ContentGetSupportedFieldFlags(int FieldIndex);
int DCPCALL ContentSetValue(char *FileName, int FieldIndex, int UnitIndex, int FieldType, void *FieldValue, int flags);
int DCPCALL ContentSetValueW(WCHAR *FileName, int FieldIndex, int UnitIndex, int FieldType, void *FieldValue, int flags);
int DCPCALL ContentEditValue(HWND ParentWin, int FieldIndex, int UnitIndex, int FieldType, void *FieldValue, int maxlen, int flags, char *langidentifier);
void DCPCALL ContentSendStateInformation(int state, char *path);
void DCPCALL ContentSendStateInformationW(int state, WCHAR *path);

#endif
