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
#>
function Start-LocalEndpoint {
    [CmdletBinding()]
    param(
        [string[]]$Arguments = @(),
        [string]$Configuration = 'Release',
        [int]$TimeoutSeconds = 30
    )
    $dll = Get-LocalEndpointDll -Configuration $Configuration
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $psi.ArgumentList.Add($dll)
    foreach ($a in @('--port', '0') + $Arguments) { $psi.ArgumentList.Add([string]$a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    # Drain stderr asynchronously so a chatty endpoint never blocks on a full pipe.
    $stderr = $process.StandardError.ReadToEndAsync()

    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    $url = $null
    while (-not $url -and [DateTime]::UtcNow -lt $deadline) {
        $lineTask = $process.StandardOutput.ReadLineAsync()
        if (-not $lineTask.Wait([TimeSpan]::FromSeconds([Math]::Max(1, ($deadline - [DateTime]::UtcNow).TotalSeconds)))) { break }
        $line = $lineTask.Result
        if ($null -eq $line) { break }
        if ($line -match 'Listening on (https?://\S+)') { $url = $Matches[1] }
    }
    if (-not $url) {
        if (-not $process.HasExited) { $process.Kill($true) }
        $process.WaitForExit(5000) | Out-Null
        throw "The local endpoint did not report 'Listening on' within $TimeoutSeconds s. stderr: $($stderr.Result)"
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

Export-ModuleMember -Function Start-LocalEndpoint, Stop-LocalEndpoint, Get-LocalEndpointDll
