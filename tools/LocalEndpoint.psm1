# Starts and stops the project's local Step Functions endpoint for the demo, the tests and the benchmark.
# The endpoint is run from its build output (build.ps1 Build), never through `dotnet run`, so a test
# never waits for a compile.

$script:RepoRoot = Split-Path -Parent $PSScriptRoot

function Get-LocalEndpointDll {
    param([string]$Configuration = 'Release')
    $dll = Join-Path $script:RepoRoot "src/AwsStepFunctions.Local/bin/$Configuration/net10.0/AwsStepFunctions.Local.dll"
    if (-not (Test-Path $dll)) { throw "The local endpoint is not built ($dll). Run ./build.ps1 Build first." }
    $dll
}

<#
.SYNOPSIS
Starts the local endpoint on a free loopback port and returns an object with Url, Port, Process and Stop().
Extra endpoint options (--https, --config, --definitions, --time-scale, ...) go in -Arguments.
With -NoWait it returns as soon as the process runs: Wait-LocalEndpoint then gives the endpoint, so that several
endpoints start at once instead of one after another.
#>
function Start-LocalEndpoint {
    [CmdletBinding()]
    param(
        [string[]]$Arguments = @(),
        [string]$Configuration = 'Release',
        [int]$TimeoutSeconds = 30,
        [switch]$NoWait
    )
    $dll = Get-LocalEndpointDll -Configuration $Configuration
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $psi.ArgumentList.Add($dll)
    foreach ($a in @('--port', '0') + $Arguments) { $psi.ArgumentList.Add([string]$a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $starting = [pscustomobject]@{
        Process  = $process
        # Drain stderr asynchronously so a chatty endpoint never blocks on a full pipe.
        Stderr   = $process.StandardError.ReadToEndAsync()
        Deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        Timeout  = $TimeoutSeconds
    }
    if ($NoWait) { return $starting }
    Wait-LocalEndpoint -Starting $starting
}

<# Waits until an endpoint started with -NoWait says where it listens, and returns it as Start-LocalEndpoint does. #>
function Wait-LocalEndpoint {
    param([Parameter(Mandatory)]$Starting)
    $process = $Starting.Process
    $url = $null
    # What it printed before giving up, for the error: a slow start and a crash read alike otherwise.
    $printed = [System.Collections.Generic.List[string]]::new()
    while (-not $url -and [DateTime]::UtcNow -lt $Starting.Deadline) {
        $lineTask = $process.StandardOutput.ReadLineAsync()
        if (-not $lineTask.Wait([TimeSpan]::FromSeconds([Math]::Max(1, ($Starting.Deadline - [DateTime]::UtcNow).TotalSeconds)))) { break }
        $line = $lineTask.Result
        if ($null -eq $line) { break }
        $printed.Add($line)
        if ($line -match 'Listening on (https?://\S+)') { $url = $Matches[1] }
    }
    if (-not $url) {
        $state = if ($process.HasExited) { "it exited with code $($process.ExitCode)" } else { 'it was still running and was stopped' }
        if (-not $process.HasExited) { $process.Kill($true) }
        $process.WaitForExit(5000) | Out-Null
        $stdout = ($printed | Select-Object -Last 10) -join ' | '
        throw "The local endpoint did not report 'Listening on' within $($Starting.Timeout) s ($state). stdout: $stdout stderr: $($Starting.Stderr.Result)"
    }
    # Keep draining stdout in the background (request logs) so the pipe never fills.
    $null = $process.StandardOutput.ReadToEndAsync()

    $endpoint = [pscustomobject]@{
        Url     = $url.TrimEnd('/')
        Port    = ([Uri]$url).Port
        Process = $process
    }
    $endpoint | Add-Member -MemberType ScriptMethod -Name Stop -Value {
        if (-not $this.Process.HasExited) { $this.Process.Kill($true) }
        $this.Process.WaitForExit(10000) | Out-Null
    }
    $endpoint
}

function Stop-LocalEndpoint {
    param([Parameter(Mandatory, ValueFromPipeline)]$Endpoint)
    process { $Endpoint.Stop() }
}

Export-ModuleMember -Function Start-LocalEndpoint, Wait-LocalEndpoint, Stop-LocalEndpoint, Get-LocalEndpointDll
