# Small helpers shared by the benchmark's orchestrator: statistics, timed child processes, child pwsh
# sessions that answer with JSON, a precompiled pwsh, the endpoint's counters, and a description of the machine.
Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'tools/ReadyToRun.psm1')

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
A copy of this PowerShell ($PSHOME) whose IL assemblies are compiled to ReadyToRun images for this machine, the form in
which PowerShell's own packages (MSI, zip, deb, rpm, tar.gz) ship it: their release builds publish ReadyToRun. The one
pwsh served here is the pinned .NET tool, whose package is IL only, so every PowerShell code path it runs waits for the
JIT first (a bare start here: about 0.85 s, against about 0.33 s for this copy). Cached in artifacts/pwsh-precompiled/,
keyed by the PowerShell version, the compiler and what was compiled; returns the copy's pwsh executable.
#>
function Get-PrecompiledPwsh {
    param(
        # Compile only these files (a smoke run); the rest of the copy stays IL. Default: every IL assembly.
        [string[]]$Only
    )
    $rid = Get-HostRid
    if ($rid -notin @((Get-ReadyToRunTargets).Keys)) { throw "No precompiled pwsh for $rid (crossgen2 targets: $(@((Get-ReadyToRunTargets).Keys) -join ', '))" }
    $repoRoot = Split-Path -Parent $PSScriptRoot
    $destination = Join-Path $repoRoot "artifacts/pwsh-precompiled/$rid"
    $exe = Join-Path $destination $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    $stamp = Join-Path $destination 'precompiled.key'
    $key = "PowerShell $($PSVersionTable.PSVersion); crossgen2 $(Get-PinnedVersion "Microsoft.NETCore.App.Crossgen2.$rid"); only: $(if ($Only) { $Only -join ',' } else { 'all' })"
    if ((Test-Path $stamp) -and (Get-Content -Raw $stamp).Trim() -eq $key -and (Test-Path $exe)) { return $exe }

    $compiler = Get-ReadyToRunCompiler
    if (Test-Path $destination) { Remove-Item -Recurse -Force $destination }
    New-Item -ItemType Directory -Force (Split-Path -Parent $destination) | Out-Null
    Copy-Item -Recurse $PSHOME $destination
    $compiled = 0
    foreach ($file in Get-ChildItem $destination -Filter '*.dll' -File) {
        if ($Only -and $file.Name -notin $Only) { continue }
        if ((Get-AssemblyCodeKind $file.FullName) -ne 'IL') { continue }
        $image = "$($file.FullName).r2r"
        # PowerShell's other assemblies are references (outside the image's bubble), read from the untouched $PSHOME.
        try { Invoke-ReadyToRunCompiler -Compiler $compiler -Assembly (Join-Path $PSHOME $file.Name) -OutputPath $image -Rid $rid -References @("$PSHOME/*.dll") }
        catch { Write-Warning "Precompiled pwsh: $($file.Name) stays IL ($($_.Exception.Message))"; continue }
        Move-Item -Force $image $file.FullName
        $compiled++
    }
    if ($compiled -eq 0) { throw "Precompiled pwsh: nothing in $PSHOME could be compiled" }
    Set-Content -Encoding utf8NoBOM $stamp $key
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

Export-ModuleMember -Function Get-Median, Get-PwshExecutable, Get-PrecompiledPwsh, Invoke-TimedProcess, Invoke-BenchSession, Get-EndpointCounters, Get-MachineDescription
