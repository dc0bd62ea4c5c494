# Many executions started from one session, three ways: ForEach-Object -Parallel with ThrottleLimit
# workers that each start a share of the executions in a loop (the module's parallel capacity), the
# same with one script block per execution (what a runbook often writes; ForEach-Object's per-item cost
# included), and the module's own pipeline (one cmdlet instance fed ARNs one after another). Then the
# raw floor with as many concurrent workers as the ThrottleLimit: the endpoint's own capacity, measured
# from this same process. Every runspace imports the module once and reuses it.
param(
    [Parameter(Mandatory)][string]$ModulePath,
    [Parameter(Mandatory)][string]$FloorAssembly,
    [Parameter(Mandatory)][string]$EndpointUrl,
    [Parameter(Mandatory)][string]$Region,
    [Parameter(Mandatory)][string]$StateMachineArn,
    [int]$Count = 10000,
    [int]$Rounds = 4,
    [int]$ThrottleLimit = 8,
    [int]$PipelineCount = 1000,
    # Rounds and the pipeline shrink to fit this many seconds if the probe shows a slow module.
    [int]$BudgetSeconds = 150
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'SessionCommon.ps1')
$credential = New-BenchCredential
Import-Module $ModulePath
Add-Type -Path $FloorAssembly
$perRound = [int][Math]::Ceiling($Count / $Rounds)

function Start-PerItem {
    param([int]$N)
    1..$N | ForEach-Object -ThrottleLimit $ThrottleLimit -Parallel {
        if (-not (Get-Module AwsStepFunctions)) { Import-Module $using:ModulePath }
        $out = Start-UeStepFunction -StateMachineArn $using:StateMachineArn -EndpointUrl $using:EndpointUrl -Region $using:Region -Credential $using:credential
        $out.result.ExecutionArn
    }
}

function Start-InWorkers {
    param([int]$N)
    $shares = for ($w = 0; $w -lt $ThrottleLimit; $w++) { [int][Math]::Floor($N / $ThrottleLimit) + [int]($w -lt $N % $ThrottleLimit) }
    $shares | Where-Object { $_ -gt 0 } | ForEach-Object -ThrottleLimit $ThrottleLimit -Parallel {
        Import-Module $using:ModulePath
        $common = @{ StateMachineArn = $using:StateMachineArn; EndpointUrl = $using:EndpointUrl; Region = $using:Region; Credential = $using:credential }
        for ($i = 0; $i -lt $_; $i++) { (Start-UeStepFunction @common).result.ExecutionArn }
    }
}

function Assert-Started {
    param($Arns, [int]$Expected, [string]$What)
    $started = @($Arns | Where-Object { $_ } | Sort-Object -Unique).Count
    if ($started -ne $Expected) { throw "${What}: $started of $Expected executions started" }
    $started
}

# Unmeasured probe: JIT, and the rate that sizes the rounds to the budget.
$probeCount = [Math]::Min(100, $perRound)
$null = Start-PerItem ([Math]::Max(1, [int]($probeCount / 2)))
$sw = [Diagnostics.Stopwatch]::StartNew()
$null = Start-InWorkers $probeCount
$probeRate = $probeCount / $sw.Elapsed.TotalSeconds
# Workers get ~60% of the budget, one script block per item (a quarter of the count, slower) ~25%,
# the one-at-a-time pipeline the rest.
$fit = [int][Math]::Floor($probeRate * $BudgetSeconds * 0.6 / $Rounds)
if ($fit -lt $perRound) { $perRound = [Math]::Max(10, $fit) }
$perItemRound = [Math]::Max(10, [int]($perRound / 4))
$PipelineCount = [Math]::Max(10, [Math]::Min($PipelineCount, [int]($probeRate / $ThrottleLimit * $BudgetSeconds * 0.15)))

$parallel = [Collections.Generic.List[object]]::new()
$perItem = [Collections.Generic.List[object]]::new()
foreach ($round in 1..$Rounds) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $started = Assert-Started (Start-InWorkers $perRound) $perRound "Workers round $round"
    $elapsed = $sw.Elapsed.TotalSeconds
    $parallel.Add([ordered]@{ round = $round; executions = $started; seconds = $elapsed; executionsPerSecond = $started / $elapsed })

    $sw.Restart()
    $started = Assert-Started (Start-PerItem $perItemRound) $perItemRound "Per-item round $round"
    $elapsed = $sw.Elapsed.TotalSeconds
    $perItem.Add([ordered]@{ round = $round; executions = $started; seconds = $elapsed; executionsPerSecond = $started / $elapsed })
}

$sw = [Diagnostics.Stopwatch]::StartNew()
$piped = @(1..$PipelineCount | ForEach-Object { $StateMachineArn } |
    Start-UeStepFunction -EndpointUrl $EndpointUrl -Region $Region -Credential $credential)
$pipelineSeconds = $sw.Elapsed.TotalSeconds
if ($piped.Count -ne $PipelineCount) { throw "Pipeline: $($piped.Count) of $PipelineCount executions started" }

$floor = [RawFloor.SfnRawClient]::new([uri]$EndpointUrl, $Region, $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY, $env:AWS_SESSION_TOKEN)
$floorRounds = foreach ($round in 1..$Rounds) {
    $b = [RawFloor.FloorRunner]::StartManyAsync($floor, $StateMachineArn, $perRound, $ThrottleLimit, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
    [ordered]@{ round = $round; executions = $b.Count; seconds = $b.ElapsedMs / 1000; executionsPerSecond = $b.RequestsPerSecond; medianMs = $b.MedianMs }
}
$floor.Dispose()
Write-SessionResult ([ordered]@{
    throttleLimit              = $ThrottleLimit
    probeExecutionsPerSecond   = $probeRate
    parallelRounds             = @($parallel)
    perItemRounds              = @($perItem)
    pipelineExecutions         = $PipelineCount
    pipelineExecutionsPerSecond = $PipelineCount / $pipelineSeconds
    floorRounds                = @($floorRounds)
})
