/* wcxexports.h - the functions a WCX plugin exports, for epy's wcx pack.
 * Included by the pack's wcxhead.h, and parsed after an SDK header (which
 * declares none: Total Commander documents them in its help file). Uses
 * only the SDK's type names, so it fits both. */
#ifndef WCXEXPORTS_H
#define WCXEXPORTS_H

/** Opens an archive; returns a handle, or NULL with OpenResult set. */
HANDLE DCPCALL OpenArchive(tOpenArchiveData *ArchiveData);
HANDLE DCPCALL OpenArchiveW(tOpenArchiveDataW *ArchiveData);
/** Fills the next member's header; E_END_ARCHIVE after the last. */
int DCPCALL ReadHeader(HANDLE hArcData, tHeaderData *HeaderData);
int DCPCALL ReadHeaderEx(HANDLE hArcData, tHeaderDataEx *HeaderData);
int DCPCALL ReadHeaderExW(HANDLE hArcData, tHeaderDataExW *HeaderData);
/** Skips, tests or extracts the member whose header was read last. */
int DCPCALL ProcessFile(HANDLE hArcData, int Operation, char *DestPath, char *DestName);
int DCPCALL ProcessFileW(HANDLE hArcData, int Operation, WCHAR *DestPath, WCHAR *DestName);
/** Closes the archive the handle belongs to. */
int DCPCALL CloseArchive(HANDLE hArcData);
/** Adds files (AddList: NUL-separated names, ending with two NULs). */
int DCPCALL PackFiles(char *PackedFile, char *SubPath, char *SrcPath, char *AddList, int Flags);
int DCPCALL PackFilesW(WCHAR *PackedFile, WCHAR *SubPath, WCHAR *SrcPath, WCHAR *AddList, int Flags);
/** Deletes members (DeleteList: NUL-separated, ending with two NULs). */
int DCPCALL DeleteFiles(char *PackedFile, char *DeleteList);
int DCPCALL DeleteFilesW(WCHAR *PackedFile, WCHAR *DeleteList);
/** PK_CAPS_* flags. */
int DCPCALL GetPackerCaps(void);
void DCPCALL ConfigurePacker(HWND Parent, HINSTANCE DllInstance);
void DCPCALL SetChangeVolProc(HANDLE hArcData, tChangeVolProc pChangeVolProc1);
void DCPCALL SetChangeVolProcW(HANDLE hArcData, tChangeVolProcW pChangeVolProc1);
void DCPCALL SetProcessDataProc(HANDLE hArcData, tProcessDataProc pProcessDataProc);
void DCPCALL SetProcessDataProcW(HANDLE hArcData, tProcessDataProcW pProcessDataProc);
HANDLE DCPCALL StartMemPack(int Options, char *FileName);
HANDLE DCPCALL StartMemPackW(int Options, WCHAR *FileName);
int DCPCALL PackToMem(HANDLE hMemPack, char *BufIn, int InLen, int *Taken, char *BufOut, int OutLen, int *Written, int SeekBy);
int DCPCALL DoneMemPack(HANDLE hMemPack);
BOOL DCPCALL CanYouHandleThisFile(char *FileName);
BOOL DCPCALL CanYouHandleThisFileW(WCHAR *FileName);
void DCPCALL PackSetDefaultParams(PackDefaultParamStruct *dps);
void DCPCALL PkSetCryptCallback(tPkCryptProc pPkCryptProc, int CryptoNr, int Flags);
void DCPCALL PkSetCryptCallbackW(tPkCryptProcW pPkCryptProc, int CryptoNr, int Flags);
/** BACKGROUND_* flags. */
int DCPCALL GetBackgroundFlags(void);

#endif
