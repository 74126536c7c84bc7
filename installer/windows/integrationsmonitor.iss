; Inno Setup 6 script: the Windows setup program for the PyInstaller bundle (dist\Integrationsmonitor\).
; Build it with `python installer\build.py --installer` (see installer\README.md), which passes
;   /DAppVersion=<version from pyproject.toml>  /DBundleDir=<the bundle folder>  /O<output folder>
;
; Per-user installation without administrator rights (school PCs are often locked down): the program goes to
; %LOCALAPPDATA%\Programs\Integrationsmonitor, the Start menu entry to the user's own Start menu, and the
; uninstaller is registered under HKCU. IT departments can still install for all users: setup.exe /ALLUSERS.
; The user's data (%LOCALAPPDATA%\Integrationsmonitor) is not touched by setup or uninstall.
; This file is ASCII on purpose: Inno Setup reads non-ASCII only from UTF-8 with a byte order mark.

#define AppName "Integrationsmonitor"
#define AppExeName "Integrationsmonitor.exe"
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\Integrationsmonitor"
#endif

[Setup]
; Never change the AppId: it is how a newer setup finds the installed version to update it.
AppId={{FA13CA80-666A-4D8B-876A-83EC17EFE559}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
AppComments=Integrationsmonitoring: jaehrliche Erhebung und statistischer Integrationsbericht
; lowest: no UAC prompt; {autopf} and {autoprograms} then resolve to the user's own folders.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
ShowLanguageDialog=no
LanguageDetectionMethod=none
Compression=lzma2/max
SolidCompression=yes
OutputBaseFilename={#AppName}-{#AppVersion}-Setup
UninstallDisplayName={#AppName} {#AppVersion}
UninstallDisplayIcon={app}\{#AppExeName}
; A running program keeps its files locked: offer to close it before files are replaced or removed.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "german"; MessagesFile: "compiler:Languages\German.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole onedir bundle. An update first removes the old _internal folder (below), so no stale library of an
; older version is left beside the new ones.
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
