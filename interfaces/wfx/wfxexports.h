/* wfxexports.h - the functions a WFX plugin exports, for epy's wfx pack.
 * Included by the pack's wfxplugin.h, and parsed after an SDK header (which
 * declares none). Uses only the SDK's type names, so it fits both. */
#ifndef WFXEXPORTS_H
#define WFXEXPORTS_H

/** Called once after loading: the host's callbacks and this plugin's number. */
int DCPCALL FsInit(int PluginNr, tProgressProc pProgressProc, tLogProc pLogProc, tRequestProc pRequestProc);
int DCPCALL FsInitW(int PluginNr, tProgressProcW pProgressProc, tLogProcW pLogProc, tRequestProcW pRequestProc);
/** Starts listing Path: the first entry, or INVALID_HANDLE_VALUE. */
HANDLE DCPCALL FsFindFirst(char *Path, WIN32_FIND_DATAA *FindData);
HANDLE DCPCALL FsFindFirstW(WCHAR *Path, WIN32_FIND_DATAW *FindData);
/** The next entry; FALSE after the last. */
BOOL DCPCALL FsFindNext(HANDLE Hdl, WIN32_FIND_DATAA *FindData);
BOOL DCPCALL FsFindNextW(HANDLE Hdl, WIN32_FIND_DATAW *FindData);
/** Ends a listing. */
int DCPCALL FsFindClose(HANDLE Hdl);
/** Creates a folder; TRUE on success. */
BOOL DCPCALL FsMkDir(char *Path);
BOOL DCPCALL FsMkDirW(WCHAR *Path);
/** Runs or opens a file (Verb "open", "properties", "chmod ...", "quote ..."): FS_EXEC_*. */
int DCPCALL FsExecuteFile(HWND MainWin, char *RemoteName, char *Verb);
int DCPCALL FsExecuteFileW(HWND MainWin, WCHAR *RemoteName, WCHAR *Verb);
/** Renames or moves within the file system: FS_FILE_*. */
int DCPCALL FsRenMovFile(char *OldName, char *NewName, BOOL Move, BOOL OverWrite, RemoteInfoStruct *ri);
int DCPCALL FsRenMovFileW(WCHAR *OldName, WCHAR *NewName, BOOL Move, BOOL OverWrite, RemoteInfoStruct *ri);
/** Copies a file out to the local LocalName: FS_FILE_*. */
int DCPCALL FsGetFile(char *RemoteName, char *LocalName, int CopyFlags, RemoteInfoStruct *ri);
int DCPCALL FsGetFileW(WCHAR *RemoteName, WCHAR *LocalName, int CopyFlags, RemoteInfoStruct *ri);
/** Copies the local LocalName in: FS_FILE_*. */
int DCPCALL FsPutFile(char *LocalName, char *RemoteName, int CopyFlags);
int DCPCALL FsPutFileW(WCHAR *LocalName, WCHAR *RemoteName, int CopyFlags);
/** Deletes a file; TRUE on success. */
BOOL DCPCALL FsDeleteFile(char *RemoteName);
BOOL DCPCALL FsDeleteFileW(WCHAR *RemoteName);
/** Deletes an empty folder; TRUE on success. */
BOOL DCPCALL FsRemoveDir(char *RemoteName);
BOOL DCPCALL FsRemoveDirW(WCHAR *RemoteName);
/** The user disconnected DisconnectRoot. */
BOOL DCPCALL FsDisconnect(char *DisconnectRoot);
BOOL DCPCALL FsDisconnectW(WCHAR *DisconnectRoot);
/** Sets FILE_ATTRIBUTE_* flags. */
BOOL DCPCALL FsSetAttr(char *RemoteName, int NewAttr);
BOOL DCPCALL FsSetAttrW(WCHAR *RemoteName, int NewAttr);
/** Sets times; a NULL time stays unchanged. */
BOOL DCPCALL FsSetTime(char *RemoteName, FILETIME *CreationTime, FILETIME *LastAccessTime, FILETIME *LastWriteTime);
BOOL DCPCALL FsSetTimeW(WCHAR *RemoteName, FILETIME *CreationTime, FILETIME *LastAccessTime, FILETIME *LastWriteTime);
/** FS_STATUS_START / FS_STATUS_END around each operation (FS_STATUS_OP_*). */
void DCPCALL FsStatusInfo(char *RemoteDir, int InfoStartEnd, int InfoOperation);
void DCPCALL FsStatusInfoW(WCHAR *RemoteDir, int InfoStartEnd, int InfoOperation);
/** The name shown in the host's list of file systems. */
void DCPCALL FsGetDefRootName(char *DefRootName, int maxlen);
/** Called once before FsInit: the ini file the plugin may use. */
void DCPCALL FsSetDefaultParams(FsDefaultParamStruct *dps);
/** BG_* flags: which operations may run in the background. */
int DCPCALL FsGetBackgroundFlags(void);
void DCPCALL FsSetCryptCallback(tCryptProc pCryptProc, int CryptoNr, int Flags);
void DCPCALL FsSetCryptCallbackW(tCryptProcW pCryptProc, int CryptoNr, int Flags);

#endif
