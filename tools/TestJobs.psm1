# Runs the test suites as separate processes, a few at a time, for build.ps1 Test.
#
# Why: most of the suite's time is tests waiting (retry backoffs, timeouts, sessions that must expire, child pwsh
# processes starting), so one suite after another left a 2-core machine half idle. Each job is one xunit project or one
# Pester file in its own process; its output is printed as one block when it ends, so parallel jobs never interleave.
# A job that outlives its time limit is killed with its child processes and its output so far printed: a hung test then
# names itself within the limit, instead of CI's own limit ending the whole run with nothing but "==> started:" lines.

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
Runs every job, at most -Parallel at once, and returns each one's name, exit code, seconds and whether it was killed
for outliving -TimeLimit (TimedOut; its exit code is then the kill's, not the job's).
.PARAMETER Job
Hashtables with Name, FilePath and Arguments (each argument passed as is, no quoting).
.PARAMETER TimeLimit
How long one job may run before it and its child processes are killed.
#>
function Invoke-TestJobs {
    param(
        [Parameter(Mandatory)][hashtable[]]$Job,
        [ValidateRange(1, 16)][int]$Parallel = 2,
        [timespan]$TimeLimit = [timespan]::FromMinutes(20)
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
        foreach ($late in @($running | Where-Object { -not $_.Process.HasExited -and $_.Clock.Elapsed -gt $TimeLimit })) {
            Stop-TestJob $late
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
        Name     = $Spec.Name
        Process  = $process
        Output   = $process.StandardOutput.ReadToEndAsync()
        Errors   = $process.StandardError.ReadToEndAsync()
        Clock    = [System.Diagnostics.Stopwatch]::StartNew()
        TimedOut = $false
    }
}

function Stop-TestJob {
    param($Job)
    $Job.TimedOut = $true
    # The whole tree: a dotnet test's testhost, a Pester file's child pwsh and endpoints would otherwise live on, holding
    # ports, files and the output pipe.
    try { $Job.Process.Kill($true) } catch [System.InvalidOperationException] { <# it ended meanwhile #> }
    $Job.Process.WaitForExit(10000) | Out-Null
}

# A job's output when it has ended; a process that left the job's tree (a daemon) may still hold the pipe open, so a
# killed job's output is waited for only briefly.
function Get-JobText {
    param([System.Threading.Tasks.Task[string]]$Text, [bool]$Killed)
    if (-not $Killed -or $Text.Wait(5000)) { return $Text.GetAwaiter().GetResult() }
    '(its output is not complete: a process outside the job still holds the pipe open)'
}

function Complete-TestJob {
    param($Job)
    $Job.Process.WaitForExit()
    $seconds = $Job.Clock.Elapsed.TotalSeconds
    $exit = $Job.Process.ExitCode
    if ($Job.TimedOut) {
        Write-Host ("==> {0}: KILLED after {1:N0} s, its time limit; its output so far:" -f $Job.Name, $seconds)
    } else {
        Write-Host ("==> {0}: exit {1}, {2:N0} s" -f $Job.Name, $exit, $seconds)
    }
    $text = Get-JobText $Job.Output $Job.TimedOut
    if ($text) { Write-Host $text.TrimEnd() }
    $errors = Get-JobText $Job.Errors $Job.TimedOut
    if ($errors) { Write-Host $errors.TrimEnd() }
    $Job.Process.Dispose()
    [pscustomobject]@{ Name = $Job.Name; ExitCode = $exit; Seconds = $seconds; TimedOut = $Job.TimedOut }
}

Export-ModuleMember -Function Select-LongestFirst, Invoke-TestJobs
