<#
.SYNOPSIS
The demo (build.ps1 Demo): the Universal task against the local endpoint, end to end.

.DESCRIPTION
Starts the built local endpoint on a free port with the state machines in samples/, runs
UeStepFunctionTask.ps1 -Wait in a child pwsh exactly as a Universal Agent would (pwsh -File), prints the
Extension Output JSON and the exit code, and stops the endpoint. Exits with the task's exit code.
#>
param([string]$Configuration = 'Release')
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$RepoRoot = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $PSScriptRoot 'LocalEndpoint.psm1') -Force

$endpoint = Start-LocalEndpoint -Configuration $Configuration -Arguments @('--definitions', (Join-Path $RepoRoot 'samples'), '--time-scale', '4')
try {
    Write-Host "Local Step Functions endpoint: $($endpoint.Url)"
    # $PSHOME's own executable: under `dotnet pwsh` the current process is dotnet itself.
    $pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    $arguments = @(
        '-NoProfile', '-NonInteractive', '-File', (Join-Path $RepoRoot 'UeStepFunctionTask.ps1'),
        '-StateMachineArn', 'arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld',
        '-Region', 'us-east-1',
        '-EndpointUrl', $endpoint.Url,
        '-Input', '{"name":"demo","mood":"happy"}',
        '-ExecutionName', 'demo',
        '-Wait',
        '-PollingInterval', '0.5'
    )
    # The local endpoint's documented default key pair, passed the way a task's environment would.
    $env:AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'
    $env:AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
    Write-Host "> pwsh -File UeStepFunctionTask.ps1 $($arguments[4..($arguments.Count - 1)] -join ' ')"
    $json = & $pwsh @arguments
    $code = $LASTEXITCODE
    $json | Out-String | Write-Host
    Write-Host "exit code: $code"
} finally {
    Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY -ErrorAction SilentlyContinue
    $endpoint.Stop()
}
exit $code
