# Turns the benchmark's results into the target verdicts and docs/BENCHMARKS.md. Everything in the
# Markdown comes from the results object of the same run: no number is typed by hand.

function Get-SectionValue {
    # A value from a section, or $null when the section failed or did not run.
    param($Results, [string]$Section, [string]$Name)
    $s = $Results.sections[$Section]
    if ($null -eq $s) { return $null }
    $s[$Name]
}

function New-Target {
    param([string]$Target, $Value, [scriptblock]$Met, [string]$Format)
    if ($null -eq $Value) { return [ordered]@{ target = $Target; measured = 'not measured (section failed)'; status = 'NOT MET' } }
    [ordered]@{ target = $Target; measured = ($Format -f $Value); status = $(if (& $Met $Value) { 'met' } else { 'NOT MET' }) }
}

function Get-BenchmarkTargets {
    param([Parameter(Mandatory)]$Results)
    $r = $Results
    # The import and the cold start depend on how fast PowerShell itself runs: each is judged on the .NET tool's IL-only pwsh
    # (the one served here) and on the same pwsh precompiled, as PowerShell's own packages ship it.
    New-Target 'Import-Module <= 150 ms (.NET tool pwsh, IL only)' (Get-SectionValue $r import importMedianMs) { param($v) $v -le 150 } '{0:N1} ms (median)'
    New-Target 'Import-Module <= 150 ms (precompiled pwsh, as PowerShell''s packages ship)' (Get-SectionValue $r import precompiledImportMedianMs) { param($v) $v -le 150 } '{0:N1} ms (median)'
    New-Target 'First call <= 2x a warm call' (Get-SectionValue $r import firstToWarmRatio) { param($v) $v -le 2 } '{0:N2}x'
    New-Target 'Warm Start-UeStepFunction within 1.5x the raw HttpClient floor' (Get-SectionValue $r warm startVsFloor) { param($v) $v -le 1.5 } '{0:N2}x the floor'
    New-Target 'Warm Get-UeStepFunctionResult within 1.5x the raw HttpClient floor' (Get-SectionValue $r warm getVsFloor) { param($v) $v -le 1.5 } '{0:N2}x the floor'
    New-Target '>= 20x the AWS CLI per-call throughput (start-execution)' (Get-SectionValue $r warm startVsCli) { param($v) $v -ge 20 } '{0:N0}x'
    New-Target '>= 20x the AWS CLI per-call throughput (describe-execution)' (Get-SectionValue $r warm getVsCli) { param($v) $v -ge 20 } '{0:N0}x'
    $cold = $r.sections['cold']
    $coldRatio = if ($cold) { $cold.pwshModuleMedianMs / $cold.awsCliMedianMs } else { $null }
    New-Target 'Cold start (fresh pwsh + import + one start) no slower than one AWS CLI call (.NET tool pwsh, IL only)' $coldRatio { param($v) $v -le 1 } '{0:N2}x the CLI call'
    $precompiledColdRatio = if ($cold -and $cold['pwshModulePrecompiledMedianMs']) { $cold.pwshModulePrecompiledMedianMs / $cold.awsCliMedianMs } else { $null }
    New-Target 'Cold start no slower than one AWS CLI call (precompiled pwsh, as PowerShell''s packages ship)' $precompiledColdRatio { param($v) $v -le 1 } '{0:N2}x the CLI call'
    New-Target 'Parallel starts limited by the endpoint: with a service latency of 20 ms per start, module >= 1/1.5 of the floor at the same concurrency' (Get-SectionValue $r parallel latencyModuleVsFloor) { param($v) $v -ge (1 / 1.5) } '{0:P0} of the floor'
    New-Target 'Parallel starts on loopback with no service latency (CPU-bound: endpoint, module and floor share 2 cores): module >= 1/1.5 of the floor' (Get-SectionValue $r parallel moduleVsFloor) { param($v) $v -ge (1 / 1.5) } '{0:P0} of the floor'
    $waiting = $r.sections['waiting']
    $cpuRate = if ($waiting) { ($waiting.cases | Where-Object { -not $_.diagnostic } | ForEach-Object { $_.waitCpuMsPerSecond - $_.idleCpuMsPerSecond } | Measure-Object -Maximum).Maximum } else { $null }
    New-Target 'Waiting costs ~no CPU: <= 10 ms of CPU per second of the wait alone (1% of a core) above the idle session, worst case' $cpuRate { param($v) $v -le 10 } '{0:N1} ms/s'
    New-Target 'No steady memory growth: working set grows < 10% over the second half of the warm calls' (Get-MemoryGrowth $r) { param($v) $v -lt 0.10 } '{0:P1}'
    $load = $r.sections['endpointLoad']
    $held = if ($load) { [double]$load.runningAfterLoad / $load.executions } else { $null }
    New-Target 'Endpoint holds every started execution RUNNING (issue 2)' $held { param($v) $v -eq 1 } '{0:P0} still RUNNING'
}

function Get-MemoryGrowth {
    param($Results)
    $memory = $Results.sections['memory']
    if (-not $memory) { return $null }
    $samples = @($memory.samples)
    if ($samples.Count -lt 3) { return $null }
    $mid = $samples[[int][Math]::Floor(($samples.Count - 1) / 2)]
    $last = $samples[-1]
    ($last.workingSetBytes - $mid.workingSetBytes) / $mid.workingSetBytes
}

function Format-Ms { param($v) if ($null -eq $v) { 'n/a' } elseif ($v -lt 10) { '{0:N2} ms' -f $v } else { '{0:N0} ms' -f $v } }
function Format-MB { param($v) if ($null -eq $v) { 'n/a' } else { '{0:N1} MB' -f ($v / 1MB) } }
function Format-Rate { param($v) if ($null -eq $v) { 'n/a' } else { '{0:N0}/s' -f $v } }

function ConvertTo-BenchmarkMarkdown {
    param([Parameter(Mandatory)]$Results)
    $r = $Results
    $m = $r.machine
    $s = $r.sections
    $lines = [Collections.Generic.List[string]]::new()
    $add = { param([string]$line = '') $lines.Add($line) }

    & $add '# Benchmarks'
    & $add ''
    & $add ('Generated by `dotnet pwsh ./build.ps1 Bench`{0} on {1}; do not edit by hand. Raw numbers: `benchmarks.json` next to this file.' -f $(if ($r.quick) { ' -Quick (smoke counts: not representative)' } else { '' }), $r.generatedAt)
    & $add 'Everything runs on one machine against the local endpoint on loopback (real HTTP, real SigV4), in one run;'
    & $add 'ratios compare numbers of that same run. Times are medians over the runs or rounds stated.'
    & $add ''
    & $add '## Machine'
    & $add ''
    & $add ('- {0} logical cores ({1}), {2} GiB memory, {3}, kernel {4}; load average (1, 5, 15 min) {5} at start, {6} at end' -f $m.logicalCores, $m.cpuModel, $m.memoryGiB, $m.os, $m.kernel, $m.loadAverageAtStart, $m.loadAverageAtEnd)
    & $add ('- .NET {0}, PowerShell {1} (`{2}`), {3}' -f $m.dotnetRuntime, $m.powershell, $m.pwshExecutable, $m.awsCli)
    & $add ('- The endpoint, the benchmarked session and the load generator share those cores; the floor''s signer: {0}. Total run: {1} s.' -f $m.floorSignerCheck, $r.durationSeconds)
    & $add ''
    & $add '## Targets'
    & $add ''
    & $add '| Target | Measured | Verdict |'
    & $add '|---|---|---|'
    foreach ($t in $r.targets) { & $add ('| {0} | {1} | {2} |' -f $t.target, $t.measured, $t.status) }
    if ($r.failures.Count) {
        & $add ''
        & $add '**Sections that failed in this run:**'
        foreach ($f in $r.failures) { & $add ('- {0}: `{1}`' -f $f.section, ($f.error -replace '\s+', ' ').Substring(0, [Math]::Min(300, ($f.error -replace '\s+', ' ').Length))) }
    }

    if ($s['cold']) {
        $c = $s['cold']
        & $add ''
        & $add "## 1. Cold start ($($c.runs) runs each$(if ($r.plan.coldWarmUp) { ', after one unmeasured run' }))"
        & $add ''
        & $add '| Process | Median wall time |'
        & $add '|---|---|'
        & $add ('| fresh `pwsh -NoProfile` doing nothing | {0} |' -f (Format-Ms $c.pwshNothingMedianMs))
        & $add ('| fresh `pwsh -NoProfile`: Import-Module + one Start-UeStepFunction | {0} |' -f (Format-Ms $c.pwshModuleMedianMs))
        if ($c['pwshTaskMedianMs']) { & $add ('| fresh `pwsh -NoProfile -File UeStepFunctionTask.ps1` (the Universal Agent task: fields checked, module imported, one start, JSON on stdout) | {0} |' -f (Format-Ms $c.pwshTaskMedianMs)) }
        if ($c['pwshModuleNoPrewarmMedianMs']) { & $add ('| the same Import-Module + one start, import-time warm-up off (`AWSSTEPFUNCTIONS_DISABLE_PREWARM=1`) | {0} |' -f (Format-Ms $c.pwshModuleNoPrewarmMedianMs)) }
        if ($c['pwshTaskNoPrewarmMedianMs']) { & $add ('| the same task, import-time warm-up off | {0} |' -f (Format-Ms $c.pwshTaskNoPrewarmMedianMs)) }
        if ($c['pwshModulePrecompiledMedianMs']) {
            & $add ('| precompiled `pwsh -NoProfile` doing nothing | {0} |' -f (Format-Ms $c.pwshNothingPrecompiledMedianMs))
            & $add ('| precompiled `pwsh -NoProfile`: Import-Module + one Start-UeStepFunction | {0} |' -f (Format-Ms $c.pwshModulePrecompiledMedianMs))
            & $add ('| precompiled `pwsh -NoProfile -File UeStepFunctionTask.ps1` | {0} |' -f (Format-Ms $c.pwshTaskPrecompiledMedianMs))
        }
        & $add ('| one `aws stepfunctions start-execution` (AWS CLI v2) | {0} |' -f (Format-Ms $c.awsCliMedianMs))
        & $add ''
        & $add ('The module''s share of a cold start (import + one call): {0}. A bare `pwsh` start alone is {1:N2}x the AWS CLI call on this machine, so this target also measures PowerShell''s own start-up.' -f (Format-Ms $c.moduleOverheadMs), ($c.pwshNothingMedianMs / $c.awsCliMedianMs))
        if ($c['pwshModulePrecompiledMedianMs']) {
            & $add ''
            & $add ('"Precompiled" is the same pwsh with its IL assemblies compiled to ReadyToRun images by crossgen2, as PowerShell''s own packages (MSI, zip, deb, rpm, tar.gz) ship them; the .NET tool served here is IL only, so every PowerShell code path it runs waits for the JIT first. On it a bare start is {0:N2}x the CLI call, and the module''s share is {1}.' -f ($c.pwshNothingPrecompiledMedianMs / $c.awsCliMedianMs), (Format-Ms $c.moduleOverheadPrecompiledMs))
        }
        & $add ''
        & $add 'Commands, exactly:'
        & $add ''
        foreach ($k in 'pwshNothing', 'pwshModule', 'pwshTask', 'pwshPrecompiled', 'awsCli', 'endpoint') { if ($r.commands[$k]) { & $add ('- {0}: `{1}`' -f $k, $r.commands[$k]) } }
    }

    if ($s['import']) {
        $i = $s['import']
        & $add ''
        & $add "## 2. Import and first call ($($i.runs) fresh sessions)"
        & $add ''
        & $add ('- `Import-Module` alone: {0}; first Start-UeStepFunction after it: {1}; a warm call in the same session: {2}; first/warm: {3:N2}x.' -f (Format-Ms $i.importMedianMs), (Format-Ms $i.firstCallMedianMs), (Format-Ms $i.warmCallMedianMs), $i.firstToWarmRatio)
        if ($null -ne $i['trivialImportMedianMs']) {
            & $add ('- The import is the session''s first, as in a fresh task or runbook, so it includes PowerShell''s one-time cost of a first module import. Yardstick: the same first import of a one-function script module takes {0}; the module''s own share is {1} (if anything a little more: the yardstick also compiles its script, which a binary module does not).' -f (Format-Ms $i.trivialImportMedianMs), (Format-Ms ($i.importMedianMs - $i.trivialImportMedianMs)))
        }
        if ($null -ne $i['binaryImportMedianMs']) {
            & $add ('- Second yardstick, PowerShell''s own cost of importing a binary module: the first import of a module with one no-op cmdlet (`bench/BinaryYardstick`, netstandard2.0 IL) whose manifest lists its assembly under NestedModules, as this module''s does, takes {0}; the module''s own share over it is {1}. With the same assembly as the manifest''s RootModule instead (diagnostic): {2}. This module lists its loader and its cmdlet assembly as nested modules so that the loader runs first, which is what lets PowerShell 7 load the cmdlet assembly''s precompiled image (bench/README.md says what the other layout measured).' -f (Format-Ms $i.binaryImportMedianMs), (Format-Ms ($i.importMedianMs - $i.binaryImportMedianMs)), (Format-Ms $i.binaryRootImportMedianMs))
        }
        if ($null -ne $i['binaryFormattedImportMedianMs']) {
            & $add ('- Third yardstick, the same one-cmdlet module with this module''s format file in its manifest (`FormatsToProcess`, which makes PowerShell rebuild the session''s whole format database, its own built-in views included): {0}, so the format file alone costs {1} of any module''s import here; the module''s own share over this yardstick is {2}. On the precompiled pwsh: {3} (the format file {4}; the module''s own share {5}).' -f (Format-Ms $i.binaryFormattedImportMedianMs), (Format-Ms ($i.binaryFormattedImportMedianMs - $i.binaryImportMedianMs)), (Format-Ms ($i.importMedianMs - $i.binaryFormattedImportMedianMs)), (Format-Ms $i.precompiledBinaryFormattedImportMedianMs), (Format-Ms ($i.precompiledBinaryFormattedImportMedianMs - $i.precompiledBinaryImportMedianMs)), (Format-Ms ($i.precompiledImportMedianMs - $i.precompiledBinaryFormattedImportMedianMs)))
        }
        if ($null -ne $i['precompiledImportMedianMs']) {
            $binaryThere = if ($null -ne $i['precompiledBinaryImportMedianMs']) { ', the binary-module yardstick {0}' -f (Format-Ms $i.precompiledBinaryImportMedianMs) } else { '' }
            & $add ('- On the precompiled pwsh (section 1): `Import-Module` {0} (the script-module yardstick there: {1}{5}); first call {2}; warm call {3}; first/warm: {4:N2}x.' -f (Format-Ms $i.precompiledImportMedianMs), (Format-Ms $i.precompiledTrivialImportMedianMs), (Format-Ms $i.precompiledFirstCallMedianMs), (Format-Ms $i.precompiledWarmCallMedianMs), $i.precompiledFirstToWarmRatio, $binaryThere)
        }
        if ($null -ne $i['noPrewarmFirstCallMedianMs']) {
            & $add ('- The same session with the import-time warm-up switched off (`AWSSTEPFUNCTIONS_DISABLE_PREWARM=1`): Import-Module {0}, first call {1}; first/warm: {2:N2}x. The session calls right after the import, so the warm-up has only the rest of the import to run in.' -f (Format-Ms $i.noPrewarmImportMedianMs), (Format-Ms $i.noPrewarmFirstCallMedianMs), $i.noPrewarmFirstToWarmRatio)
        }
        if ($null -ne $i['floorFirstCallMedianMs']) {
            & $add ('- The same first call with the module''s ReadyToRun images switched off (`AWSSTEPFUNCTIONS_DISABLE_READYTORUN=1`: IL and the JIT only, as on Windows PowerShell or a platform without images): {0}; first/warm: {1:N2}x.' -f (Format-Ms $i.ilOnlyFirstCallMedianMs), $i.ilOnlyFirstToWarmRatio)
            & $add ('- Yardstick: the raw floor''s own first signed request in a fresh session (.NET''s first HttpClient and crypto use, no AWS SDK): {0}, then {1} warm; first/warm: {2:N2}x. No .NET client gets its first call within 2x of a warm one; the module''s first call costs {3:N1}x the floor''s.' -f (Format-Ms $i.floorFirstCallMedianMs), (Format-Ms $i.floorWarmCallMedianMs), $i.floorFirstToWarmRatio, ($i.firstCallMedianMs / $i.floorFirstCallMedianMs))
        }
    }

    if ($s['warm']) {
        $w = $s['warm']
        & $add ''
        & $add "## 3. Warm calls ($($w.rounds) rounds of $($w.callsPerRound) calls per contender, one session)"
        & $add ''
        & $add '| Operation | Module | Raw HttpClient floor (same process) | AWS CLI (per process) | Module vs floor | CLI / module |'
        & $add '|---|---|---|---|---|---|'
        & $add ('| StartExecution | {0} | {1} | {2} | {3:N2}x | {4:N0}x |' -f (Format-Ms $w.startPerCallMs), (Format-Ms $w.floorStartPerCallMs), (Format-Ms $w.cliStartPerCallMs), $w.startVsFloor, $w.startVsCli)
        & $add ('| DescribeExecution (Get-UeStepFunctionResult) | {0} | {1} | {2} | {3:N2}x | {4:N0}x |' -f (Format-Ms $w.getPerCallMs), (Format-Ms $w.floorDescribePerCallMs), (Format-Ms $w.cliDescribePerCallMs), $w.getVsFloor, $w.getVsCli)
        & $add ''
        if ($w.callsPerRound -lt $r.plan.warmCalls) { & $add ('**Counts reduced** from {0} to {1} calls per round: at the measured warm-call time the planned count would not fit the {2} s budget of this section.' -f $r.plan.warmCalls, $w.callsPerRound, $r.plan.warmBudgetSeconds); & $add '' }
        & $add ('Per-call times are a round''s wall time divided by its calls (median over rounds); the CLI made {0} calls of each kind. The floor is `bench/RawFloor` loaded into the benchmarked pwsh: one reused HttpClient, its own SigV4 signer, requests one after another.' -f $w.cliCalls)
        if ($null -ne $w['coreStartPerCallMs']) {
            & $add ''
            & $add 'Where a warm call''s time goes (same session, same rounds):'
            & $add ''
            & $add '| Layer | StartExecution | DescribeExecution |'
            & $add '|---|---|---|'
            & $add ('| PowerShell''s own cost of a cmdlet call: a no-op compiled cmdlet with the same parameters, called the same way | {0} | {0} |' -f (Format-Ms $w.noOpCmdletPerCallMs))
            & $add ('| The module''s core called directly from a PowerShell loop (AWS SDK pipeline, signing, our core; no cmdlet, no binding) | {0} | {1} |' -f (Format-Ms $w.coreStartPerCallMs), (Format-Ms $w.coreGetPerCallMs))
            if ($null -ne $w['coreInCmdletStartPerCallMs']) {
                & $add ('| The same core call inside the no-op cmdlet (PowerShell''s invocation around it, none of the module''s cmdlet code) | {0} | {1} |' -f (Format-Ms $w.coreInCmdletStartPerCallMs), (Format-Ms $w.coreInCmdletGetPerCallMs))
                & $add ('| PowerShell''s share beyond the no-op: the core call made slower by the invocation around it (core in cmdlet minus core minus no-op) | {0} | {1} |' -f (Format-Ms ($w.coreInCmdletStartPerCallMs - $w.coreStartPerCallMs - $w.noOpCmdletPerCallMs)), (Format-Ms ($w.coreInCmdletGetPerCallMs - $w.coreGetPerCallMs - $w.noOpCmdletPerCallMs)))
                & $add ('| The module''s own cmdlet layer (module minus core in cmdlet) | {0} | {1} |' -f (Format-Ms ($w.startPerCallMs - $w.coreInCmdletStartPerCallMs)), (Format-Ms ($w.getPerCallMs - $w.coreInCmdletGetPerCallMs)))
            }
            else {
                & $add ('| The cmdlet layer (module minus core minus the no-op cmdlet) | {0} | {1} |' -f (Format-Ms ($w.startPerCallMs - $w.coreStartPerCallMs - $w.noOpCmdletPerCallMs)), (Format-Ms ($w.getPerCallMs - $w.coreGetPerCallMs - $w.noOpCmdletPerCallMs)))
            }
            & $add ('| The floor (HttpClient + a minimal SigV4 signer) | {0} | {1} |' -f (Format-Ms $w.floorStartPerCallMs), (Format-Ms $w.floorDescribePerCallMs))
            & $add ('| The floor called the way the module is: one blocking call per iteration of a PowerShell loop | {0} | |' -f (Format-Ms $w.floorStartFromLoopPerCallMs))
            & $add ''
            & $add ('Calls are timed as a round''s wall time, after {0:N0} unmeasured calls of every contender (the runtime recompiles hot code at full optimisation in stages over the first few thousand calls); rounds are interleaved so every contender sees the same background noise.' -f $r.plan.warmUpCalls)
        }
    }

    if ($s['parallel']) {
        $p = $s['parallel']
        & $add ''
        & $add "## 4. Parallel starts (from one session)"
        & $add ''
        & $add '| Contender | Executions per second |'
        & $add '|---|---|'
        & $add ('| the module''s pipeline: {1:N0} ARNs piped into one `Start-UeStepFunction -ThrottleLimit {0}` | {2} |' -f $p.throttleLimit, $p.executions, (Format-Rate $p.moduleExecutionsPerSecond))
        & $add ('| `ForEach-Object -Parallel -ThrottleLimit {0}`: {0} workers, each calling Start-UeStepFunction in a loop ({1:N0} executions) | {2} |' -f $p.throttleLimit, $p.workersExecutions, (Format-Rate $p.workersExecutionsPerSecond))
        & $add ('| `ForEach-Object -Parallel -ThrottleLimit {0}`: one script block per execution ({1:N0} executions) | {2} |' -f $p.throttleLimit, $p.perItemExecutions, (Format-Rate $p.perItemExecutionsPerSecond))
        & $add ('| raw floor, {0} concurrent requests, same process (the endpoint''s capacity) | {1} |' -f $p.throttleLimit, (Format-Rate $p.floorExecutionsPerSecond))
        & $add ('| the module''s own pipeline, one after another ({0} executions) | {1} |' -f $p.pipelineExecutions, (Format-Rate $p.pipelineExecutionsPerSecond))
        & $add ''
        & $add ('After {2:N0} unmeasured starts through each (the runtime recompiles hot code at full optimisation only after a while), the module with `-ThrottleLimit` reaches {0:P0} of the floor''s parallel rate on loopback (median over rounds of the ratio; each round runs the module, then the floor). The floor is a tight C# loop of {1} concurrent requests with a minimal signer; the module pays the AWS SDK''s pipeline and a PowerShell pipeline per execution; with no service latency, the endpoint, the module and the floor compete for the same 2 cores, so this row measures CPU per start more than the endpoint. Workers in runspaces pay a runspace each; one script block per execution adds ForEach-Object''s own per-item cost (a runspace hand-off and `$using:` copies), which is PowerShell''s, not the module''s.' -f $p.moduleVsFloor, $p.throttleLimit, $r.plan.parallelWarmUp)
        if ($p['latency'] -and $p.latency.floorExecutionsPerSecond) {
            & $add ''
            & $add ('With {0} ms of service latency per StartExecution (the endpoint holds each request, as a real service takes tens of milliseconds), {1:N0} starts each, {2} in flight: the module {3}, the floor {4}; the endpoint allows at most {5} at this concurrency. The module reaches {6:P0} of the floor: there, the endpoint sets the pace.' -f $p.latency.latencyMs, $p.latency.executions, $p.throttleLimit, (Format-Rate $p.latency.moduleExecutionsPerSecond), (Format-Rate $p.latency.floorExecutionsPerSecond), (Format-Rate $p.latency.ceilingExecutionsPerSecond), $p.latencyModuleVsFloor)
        }
        if ($p.executions -lt $p.plannedExecutions) { & $add ''; & $add ('**Counts reduced** from {0:N0} to {1:N0} executions: an unmeasured probe ran at {2:N0}/s, too slow for the planned count within the {3} s budget.' -f $p.plannedExecutions, $p.executions, $p.probeExecutionsPerSecond, $r.plan.parallelBudgetSeconds) }
    }

    if ($s['waiting']) {
        & $add ''
        & $add '## 5. Waiting (Start-UeStepFunction -Wait on executions of known length, endpoint --time-scale 1)'
        & $add ''
        & $add '| Polling interval | Execution length | Runs | Requests made | DescribeExecution | Detection delay (stopDate to return) | CPU, whole call | CPU per second, whole call | CPU per second, the wait alone | Same session idle |'
        & $add '|---|---|---|---|---|---|---|---|---|---|'
        foreach ($case in $s['waiting'].cases) {
            & $add ('| {0} | {1} s | {2} | {3} | {4} | {5} | {6} | {7:N2} ms/s | {8:N2} ms/s | {9:N2} ms/s |' -f $case.pollingInterval, $case.executionSeconds, $case.runs, $case.requestsMedian, $case.describeMedian, (Format-Ms $case.detectionDelayMedianMs), (Format-Ms $case.cpuMedianMs), $case.cpuMsPerSecondWaited, $case.waitCpuMsPerSecond, $case.idleCpuMsPerSecond)
        }
        & $add ''
        & $add ('Requests are counted by the endpoint (all operations, including the StartExecution). CPU is the waiting process''s own, measured after unmeasured warm-up waits (fast polls, then three 20 s waits polling every second: the runtime recompiles the polling path in stages, tiered compilation with dynamic PGO, for about its first 60 polls) and after the fresh session''s background start-up work has died down. "Whole call" includes the StartExecution and the output; "the wait alone" is read from a sampler of the process''s CPU time (4 per second) from {0} s after the call began to its return; "same session idle" is that session doing `Start-Sleep` for 3 s just before, sampled the same way. The target is on the wait alone minus idle, over the rows that are not diagnostic. The diagnostic rows are a young session without the 20 s warm-up waits: what the first minute of waiting costs while the runtime is still optimising, paid once per process.' -f $r.plan.waitWindowStart)
    }

    if ($s['memory']) {
        $mem = $s['memory']
        & $add ''
        & $add '## 6. Memory of the calling session'
        & $add ''
        if ($s['import']) { & $add ('- Working set of a fresh session before import: {0}; after `Import-Module`: {1}.' -f (Format-MB $s['import'].workingSetBeforeImportBytes), (Format-MB $s['import'].workingSetAfterImportBytes)) }
        & $add ('- After all warm calls: working set {0}; managed heap after a full GC {1}.' -f (Format-MB $mem.workingSetAtEndBytes), (Format-MB $mem.managedHeapAfterFullGcBytes))
        & $add ''
        & $add '| Cmdlet calls so far | Working set | Managed heap (no forced GC) |'
        & $add '|---|---|---|'
        # At most about a dozen rows here; benchmarks.json has every sample.
        $all = @($mem.samples)
        $step = [Math]::Max(1, [int][Math]::Ceiling(($all.Count - 1) / 10))
        $shown = for ($i = 0; $i -lt $all.Count; $i++) { if ($i % $step -eq 0 -or $i -eq $all.Count - 1) { $all[$i] } }
        foreach ($sample in $shown) { & $add ('| {0:N0} | {1} | {2} |' -f $sample.calls, (Format-MB $sample.workingSetBytes), (Format-MB $sample.managedHeapBytes)) }
    }

    if ($s['endpointLoad']) {
        $l = $s['endpointLoad']
        & $add ''
        & $add "## 7. Local endpoint under load (issue 2): a second process, $($l.concurrency) concurrent signed requests"
        & $add ''
        & $add '| Operation | Requests per second | Median latency |'
        & $add '|---|---|---|'
        & $add ('| StartExecution | {0} | {1} |' -f (Format-Rate $l.startRequestsPerSecond), (Format-Ms $l.startMedianLatencyMs))
        & $add ('| DescribeExecution | {0} | {1} |' -f (Format-Rate $l.describeRequestsPerSecond), (Format-Ms $l.describeMedianLatencyMs))
        & $add ''
        & $add ('- Endpoint working set idle: {0}; holding {1:N0} RUNNING executions (a one-day Wait state): {2}. ListExecutions found {3:N0} RUNNING.' -f (Format-MB $l.workingSetIdleBytes), $l.executions, (Format-MB $l.workingSetHoldingBytes), $l.runningAfterLoad)
        & $add ''
        & $add '| Phase | Executions started | Endpoint working set |'
        & $add '|---|---|---|'
        foreach ($sample in $l.memory) { & $add ('| {0} | {1:N0} | {2} |' -f $sample.phase, $sample.executionsStarted, (Format-MB $sample.workingSetBytes)) }
        & $add ''
        & $add 'The generator is `bench/EndpointLoad` (the floor''s signer and client); rates are medians over its batches.'
    }
    $lines -join "`n"
}

Export-ModuleMember -Function Get-BenchmarkTargets, ConvertTo-BenchmarkMarkdown
