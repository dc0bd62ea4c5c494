# One soak phase in one session, as a runbook runs for hours: rounds of records piped into
# `Start-UeStepFunction -Wait -ThrottleLimit`, each round judged against what the endpoint really started (bench/SoakJudge.psm1),
# and the process's memory sampled after a full collection every few rounds. With faults injected meanwhile (the orchestrator
# does that), the same promises must hold. Writes its result as one JSON line, the last of its output.
param(
    [Parameter(Mandatory)][string]$ModulePath,
    [Parameter(Mandatory)][string]$FloorAssembly,
    [Parameter(Mandatory)][string]$EndpointUrl,
    [Parameter(Mandatory)][string]$Region,
    [Parameter(Mandatory)][string]$StateMachineArn,
    [Parameter(Mandatory)][double]$Seconds,
    [int]$RecordsPerRound = 40,
    [int]$ThrottleLimit = 8,
    [double]$PollingInterval = 0.05,
    [int]$SampleEveryRounds = 25,
    # Calls as this role (STS AssumeRole at the same endpoint), whose sessions the endpoint keeps short.
    [string]$RoleArn,
    # On a healthy endpoint no start may fail: each one that did is a broken promise, not an answer.
    [switch]$ExpectNoFailures
)
$ErrorActionPreference = 'Stop'
. "$PSScriptRoot/SessionCommon.ps1"
Import-Module (Join-Path (Split-Path $PSScriptRoot) 'SoakJudge.psm1')
$credential = New-BenchCredential
$common = @{ EndpointUrl = $EndpointUrl; Region = $Region; Credential = $credential }
if ($RoleArn) { $common.RoleArn = $RoleArn }
Import-Module $ModulePath
Add-Type -Path $FloorAssembly
# The endpoint is read with the floor's own client, not with the module under test.
$reader = [RawFloor.SfnRawClient]::new([uri]$EndpointUrl, $Region, $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY, $env:AWS_SESSION_TOKEN)
$none = [Threading.CancellationToken]::None

function Get-MemorySample([int]$Round, [int]$Executions) {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    $status = @{}
    foreach ($line in [IO.File]::ReadAllLines('/proc/self/status')) {
        if ($line -match '^(VmRSS|RssAnon|RssFile):\s+(\d+) kB') { $status[$Matches[1]] = [int64]$Matches[2] * 1KB }
    }
    [ordered]@{
        round = $Round; executions = $Executions; seconds = [math]::Round($clock.Elapsed.TotalSeconds, 1)
        rssBytes = $status.VmRSS; anonBytes = $status.RssAnon; fileBytes = $status.RssFile
        heapBytes = [GC]::GetTotalMemory($false); threads = [Diagnostics.Process]::GetCurrentProcess().Threads.Count
        fds = @([IO.Directory]::GetFileSystemEntries('/proc/self/fd')).Count
    }
}

$clock = [Diagnostics.Stopwatch]::StartNew()
$rounds = 0; $records = 0; $outputs = 0; $startFailures = 0; $unknownOutcome = 0; $slowestRound = 0.0
$problems = [System.Collections.Generic.List[string]]::new()
$failureTexts = [System.Collections.Generic.List[string]]::new()
$samples = [System.Collections.Generic.List[object]]::new()
$samples.Add((Get-MemorySample 0 0))
while ($clock.Elapsed.TotalSeconds -lt $Seconds) {
    $rounds++
    $newest = @($reader.ExecutionArnsNewerThanAsync($StateMachineArn, $null, 1, $none).GetAwaiter().GetResult())
    $batch = foreach ($i in 1..$RecordsPerRound) {
        # Every tenth execution is to fail (exit code 23 with an error record), so the error path soaks too.
        $payload = if ($i % 10 -eq 0) { "{`"i`":$i,`"r`":$rounds,`"fail`":true}" } else { "{`"i`":$i,`"r`":$rounds}" }
        [pscustomobject]@{ StateMachineArn = $StateMachineArn; Input = $payload }
    }
    $errs = $null
    $roundClock = [Diagnostics.Stopwatch]::StartNew()
    $written = @($batch | Start-UeStepFunction -Wait -PollingInterval $PollingInterval -ThrottleLimit $ThrottleLimit @common -ErrorVariable errs -ErrorAction SilentlyContinue)
    $slowestRound = [math]::Max($slowestRound, $roundClock.Elapsed.TotalSeconds)
    $started = @($reader.ExecutionArnsNewerThanAsync($StateMachineArn, $(if ($newest) { $newest[0] }), 100000, $none).GetAwaiter().GetResult())
    $before = @(); if ($newest) { $before = @($newest[0]) }
    $verdict = Test-SoakRound -Records @($batch) -Outputs $written -Errors @($errs) -Before $before -After ($before + $started)
    $records += $RecordsPerRound; $outputs += $written.Count
    $startFailures += $verdict.StartFailures; $unknownOutcome += $verdict.UnknownOutcome
    $roundProblems = @($verdict.Problems)
    if ($ExpectNoFailures -and $verdict.StartFailures) { $roundProblems += @($verdict.FailureTexts | ForEach-Object { "a start failed on a healthy endpoint: $_" }) }
    foreach ($p in $roundProblems) { if ($problems.Count -lt 50) { $problems.Add("round ${rounds}: $p") } }
    foreach ($t in $verdict.FailureTexts) { if ($failureTexts.Count -lt 20) { $failureTexts.Add($t) } }
    if ($rounds % $SampleEveryRounds -eq 0) { $samples.Add((Get-MemorySample $rounds $records)) }
}
if ($rounds % $SampleEveryRounds -ne 0) { $samples.Add((Get-MemorySample $rounds $records)) }
$reader.Dispose()

Write-SessionResult ([ordered]@{
    seconds = [math]::Round($clock.Elapsed.TotalSeconds, 1); rounds = $rounds; records = $records; outputs = $outputs
    startFailures = $startFailures; unknownOutcome = $unknownOutcome; slowestRoundSeconds = [math]::Round($slowestRound, 2)
    problems = @($problems); failureTexts = @($failureTexts); samples = @($samples)
})
