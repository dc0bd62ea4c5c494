# Small helpers shared by the benchmark's orchestrator: statistics, timed child processes, child pwsh
# sessions that answer with JSON, the endpoint's counters, and a description of the machine.

function Get-Median {
    param([Parameter(Mandatory)][double[]]$Values)
    $sorted = [double[]]($Values | Sort-Object)
    $n = $sorted.Count
    if ($n -eq 0) { throw 'Get-Median: no values' }
    if ($n % 2) { return $sorted[($n - 1) / 2] }
    ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2
}

function Get-PwshExecutable {
    # `dotnet pwsh` starts the dotnet host, which then starts PowerShell: timing that would count the
    # dotnet host twice. $PSHOME holds the tool's own apphost, the executable a user's `pwsh` would be.
    $exe = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    if (-not (Test-Path $exe)) { throw "No pwsh executable at $exe" }
    $exe
}

<#
.SYNOPSIS
Runs a process to completion and returns its wall time (from Start to exit), exit code and output.
Every cold-start contender goes through this one function, so they pay the same measuring overhead.
#>
function Invoke-TimedProcess {
    param(
        [Parameter(Mandatory)][string]$FilePath,
        [string[]]$ArgumentList = @(),
        [hashtable]$Environment = @{},
        [int]$TimeoutSeconds = 120
    )
    $psi = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = [string]$Environment[$k] }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $p = [System.Diagnostics.Process]::Start($psi)
    $stdout = $p.StandardOutput.ReadToEndAsync()
    $stderr = $p.StandardError.ReadToEndAsync()
    if (-not $p.WaitForExit($TimeoutSeconds * 1000)) {
        $p.Kill($true)
        throw "$FilePath did not finish within $TimeoutSeconds s"
    }
    $p.WaitForExit()
    $sw.Stop()
    [pscustomobject]@{
        WallMs   = $sw.Elapsed.TotalMilliseconds
        CpuMs    = $p.TotalProcessorTime.TotalMilliseconds
        ExitCode = $p.ExitCode
        StdOut   = $stdout.GetAwaiter().GetResult()
        StdErr   = $stderr.GetAwaiter().GetResult()
    }
}

<#
.SYNOPSIS
Runs one of bench/sessions/*.ps1 in a fresh `pwsh -NoProfile` and returns the JSON object that the
script writes as its last line of output. A session that fails stops the benchmark with its stderr.
#>
function Invoke-BenchSession {
    param(
        [Parameter(Mandatory)][string]$Script,
        [hashtable]$Parameters = @{},
        [hashtable]$Environment = @{},
        [int]$TimeoutSeconds = 900,
        # Another pwsh than this one's own (the precompiled copy).
        [string]$Pwsh = (Get-PwshExecutable)
    )
    $arguments = @('-NoProfile', '-NonInteractive', '-File', $Script)
    foreach ($k in $Parameters.Keys) {
        $v = $Parameters[$k]
        if ($v -is [switch] -or $v -is [bool]) { if ($v) { $arguments += "-$k" }; continue }
        $arguments += "-$k"
        # -File passes every argument as a string; arrays travel as one comma-separated string.
        $arguments += $(if ($v -is [array]) { $v -join ',' } else { [string]$v })
    }
    $run = Invoke-TimedProcess -FilePath $Pwsh -ArgumentList $arguments -Environment $Environment -TimeoutSeconds $TimeoutSeconds
    $last = ($run.StdOut -split "`n" | Where-Object { $_.Trim() } | Select-Object -Last 1)
    if ($run.ExitCode -ne 0 -or -not $last) {
        throw "Benchmark session $(Split-Path -Leaf $Script) failed (exit $($run.ExitCode)).`n$($run.StdErr)`n$($run.StdOut)"
    }
    $last | ConvertFrom-Json
}

function Get-EndpointCounters {
    param([Parameter(Mandatory)][string]$EndpointUrl)
    Invoke-RestMethod -Uri "$EndpointUrl/_local/counters" -NoProxy
}

function Get-MachineDescription {
    $memKb = [long]((Get-Content /proc/meminfo | Select-String '^MemTotal:\s+(\d+)').Matches[0].Groups[1].Value)
    $cpuModel = (Get-Content /proc/cpuinfo | Select-String '^model name\s*:\s*(.+)$' | Select-Object -First 1).Matches[0].Groups[1].Value
    $os = ((Get-Content /etc/os-release | Select-String '^PRETTY_NAME="?([^"]+)"?').Matches[0].Groups[1].Value)
    $aws = (& /usr/bin/aws --version 2>&1) -join ' '
    [ordered]@{
        logicalCores   = [Environment]::ProcessorCount
        cpuModel       = $cpuModel.Trim()
        memoryGiB      = [Math]::Round($memKb / 1MB, 1)
        os             = $os
        kernel         = (Get-Content /proc/sys/kernel/osrelease -Raw).Trim()
        dotnetRuntime  = [Environment]::Version.ToString()
        powershell     = $PSVersionTable.PSVersion.ToString()
        pwshExecutable = Get-PwshExecutable
        awsCli         = $aws.Trim()
        loadAverageAtStart = (Get-Content /proc/loadavg -Raw).Split(' ')[0..2] -join ' '
    }
}

Export-ModuleMember -Function Get-Median, Get-PwshExecutable, Invoke-TimedProcess, Invoke-BenchSession, Get-EndpointCounters, Get-MachineDescription
