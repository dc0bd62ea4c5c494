# Runs the test suites as separate processes, a few at a time, for build.ps1 Test.
#
# Why: most of the suite's time is tests waiting (retry backoffs, timeouts, sessions that must expire, child pwsh
# processes starting), so one suite after another left a 2-core machine half idle. Each job is one xunit project or one
# Pester file in its own process; its output is printed as one block when it ends, so parallel jobs never interleave.

<#
.SYNOPSIS
Orders job names so that the longest known ones start first (the slots then end together); the rest follow in name order.
#>
function Select-LongestFirst {
    param(
        [Parameter(Mandatory)][string[]]$Name,
        # Longest first, from CI runs on 2 cores; a name not listed is taken as short.
        [string[]]$KnownLongest = @()
    )
    $known = @($KnownLongest | Where-Object { $_ -in $Name })
    @($known) + @($Name | Where-Object { $_ -notin $known } | Sort-Object)
}

<#
.SYNOPSIS
Runs every job, at most -Parallel at once, and returns each one's name, exit code and seconds.
.PARAMETER Job
Hashtables with Name, FilePath and Arguments (each argument passed as is, no quoting).
#>
function Invoke-TestJobs {
    param(
        [Parameter(Mandatory)][hashtable[]]$Job,
        [ValidateRange(1, 16)][int]$Parallel = 2
    )
    $queue = [System.Collections.Generic.Queue[hashtable]]::new($Job)
    $running = [System.Collections.Generic.List[object]]::new()
    $done = [System.Collections.Generic.List[object]]::new()
    while ($queue.Count -gt 0 -or $running.Count -gt 0) {
        while ($queue.Count -gt 0 -and $running.Count -lt $Parallel) {
            $next = $queue.Dequeue()
            Write-Host "==> started: $($next.Name)"
            $running.Add((Start-TestJob $next))
        }
        $ended = @($running | Where-Object { $_.Process.HasExited })
        if ($ended.Count -eq 0) {
            Start-Sleep -Milliseconds 200
            continue
        }
        # Not $job: PowerShell names are case-insensitive, and $Job is the typed parameter.
        foreach ($finished in $ended) {
            $running.Remove($finished) | Out-Null
            $done.Add((Complete-TestJob $finished))
        }
    }
    $done
}

function Start-TestJob {
    param([hashtable]$Spec)
    $info = [System.Diagnostics.ProcessStartInfo]::new($Spec.FilePath)
    foreach ($argument in $Spec.Arguments) { $info.ArgumentList.Add($argument) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($info)
    # Read as it comes, or a chatty job would fill the pipe and block.
    [pscustomobject]@{
        Name    = $Spec.Name
        Process = $process
        Output  = $process.StandardOutput.ReadToEndAsync()
        Errors  = $process.StandardError.ReadToEndAsync()
        Clock   = [System.Diagnostics.Stopwatch]::StartNew()
    }
}

function Complete-TestJob {
    param($Job)
    $Job.Process.WaitForExit()
    $seconds = $Job.Clock.Elapsed.TotalSeconds
    $exit = $Job.Process.ExitCode
    Write-Host ("==> {0}: exit {1}, {2:N0} s" -f $Job.Name, $exit, $seconds)
    $text = $Job.Output.GetAwaiter().GetResult()
    if ($text) { Write-Host $text.TrimEnd() }
    $errors = $Job.Errors.GetAwaiter().GetResult()
    if ($errors) { Write-Host $errors.TrimEnd() }
    $Job.Process.Dispose()
    [pscustomobject]@{ Name = $Job.Name; ExitCode = $exit; Seconds = $seconds }
}

Export-ModuleMember -Function Select-LongestFirst, Invoke-TestJobs
