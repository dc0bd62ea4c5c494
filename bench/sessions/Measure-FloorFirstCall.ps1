# One fresh session, the raw floor instead of the module: its first signed StartExecution (the .NET HttpClient's
# and the crypto's first use in a young process, the same costs any module's first call pays) and the median of the
# warm requests after it. Puts the module's "first call vs warm call" ratio next to what .NET itself does.
param(
    [Parameter(Mandatory)][string]$FloorAssembly,
    [Parameter(Mandatory)][string]$EndpointUrl,
    [Parameter(Mandatory)][string]$Region,
    [Parameter(Mandatory)][string]$StateMachineArn,
    [int]$WarmCalls = 20
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'SessionCommon.ps1')
$null = New-BenchCredential
Add-Type -Path $FloorAssembly
$floor = [RawFloor.SfnRawClient]::new([uri]$EndpointUrl, $Region, $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY, $env:AWS_SESSION_TOKEN)
$none = [Threading.CancellationToken]::None

$sw = [Diagnostics.Stopwatch]::StartNew()
$null = $floor.StartExecutionAsync($StateMachineArn, [guid]::NewGuid().ToString('n'), '{}', $none).GetAwaiter().GetResult()
$firstCallMs = $sw.Elapsed.TotalMilliseconds
$warm = foreach ($i in 1..$WarmCalls) {
    $sw.Restart()
    $null = $floor.StartExecutionAsync($StateMachineArn, [guid]::NewGuid().ToString('n'), '{}', $none).GetAwaiter().GetResult()
    $sw.Elapsed.TotalMilliseconds
}
$floor.Dispose()
Write-SessionResult ([ordered]@{
    firstCallMs  = $firstCallMs
    warmMedianMs = Get-SessionMedian $warm
})
