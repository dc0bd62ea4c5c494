# The yardstick for the import: PowerShell's own one-time cost of a session's first module import (the module
# system, manifest processing and the parser compiled on first use), measured on a given trivial module in a fresh
# session, the way Measure-ImportAndFirstCall.ps1 measures ours.
param([Parameter(Mandatory)][string]$ModulePath)
$ErrorActionPreference = 'Stop'
. "$PSScriptRoot/SessionCommon.ps1"
$sw = [Diagnostics.Stopwatch]::StartNew()
Import-Module $ModulePath
$importMs = $sw.Elapsed.TotalMilliseconds
Write-SessionResult ([ordered]@{ importMs = $importMs })
