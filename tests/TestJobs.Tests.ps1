# The test runner's own job scheduler (tools/TestJobs.psm1), run with real processes: how many jobs run at once, that each
# job's output stays in one block, and that a job outliving its time limit is killed with its children and still reported.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../tools/TestJobs.psm1') -Force
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "testjobs-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory $script:Work | Out-Null

    # A job that runs a POSIX shell script.
    function New-ShellJob([string]$Name, [string]$Script) {
        @{ Name = $Name; FilePath = '/bin/sh'; Arguments = @('-c', $Script) }
    }

    # Runs the jobs and returns what they returned and every line the scheduler wrote to the host.
    function Invoke-Captured([hashtable[]]$Job, [int]$Parallel, [timespan]$TimeLimit = [timespan]::FromMinutes(1)) {
        $lines = [System.Collections.Generic.List[string]]::new()
        $results = Invoke-TestJobs -Job $Job -Parallel $Parallel -TimeLimit $TimeLimit 6>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.InformationRecord]) { foreach ($l in "$_" -split "`n") { $lines.Add($l) } } else { $_ }
        }
        [pscustomobject]@{ Results = @($results); Lines = $lines }
    }
}

AfterAll {
    if ($script:Work -and (Test-Path $script:Work)) { Remove-Item -Recurse -Force $script:Work }
}

Describe 'Select-LongestFirst' {
    It 'puts the known longest first, in their order, and the rest after them by name' {
        Select-LongestFirst -Name 'c', 'Slow', 'a', 'Slower' -KnownLongest 'Slower', 'Gone', 'Slow' | Should -Be @('Slower', 'Slow', 'a', 'c')
    }
}

Describe 'Invoke-TestJobs' -Skip:($IsWindows) {
    It 'runs -Parallel jobs at once, never more, and returns every exit code' {
        $log = Join-Path $script:Work 'parallel.log'
        # Each job writes start and end lines to one log; between them it holds its slot for a moment.
        $jobs = foreach ($n in 1..5) { New-ShellJob "job$n" "echo start >> '$log'; sleep 0.4; echo end >> '$log'; exit $n" }
        $run = Invoke-Captured -Job $jobs -Parallel 2

        @($run.Results | Sort-Object Name | ForEach-Object ExitCode) | Should -Be @(1, 2, 3, 4, 5)
        $run.Results.TimedOut | Should -Not -Contain $true
        $running = 0; $most = 0
        foreach ($line in Get-Content $log) {
            $running += if ($line -eq 'start') { 1 } else { -1 }
            $most = [Math]::Max($most, $running)
        }
        $most | Should -Be 2
    }

    It "prints each job's stdout and stderr as one block under its own exit line" {
        $jobs = @(
            (New-ShellJob 'talker' 'for i in 1 2 3; do echo "talker out $i"; sleep 0.2; done; echo "talker err" >&2; exit 4'),
            (New-ShellJob 'chatter' 'for i in 1 2 3; do echo "chatter out $i"; sleep 0.2; done'))
        $run = Invoke-Captured -Job $jobs -Parallel 2

        foreach ($name in 'talker', 'chatter') {
            $exitLine = $run.Lines.FindIndex({ param($l) $l -like "==> ${name}: exit *" })
            $exitLine | Should -BeGreaterOrEqual 0
            $run.Lines[($exitLine + 1)..($exitLine + 3)] | Should -Be @(1..3 | ForEach-Object { "$name out $_" })
        }
        $run.Lines | Should -Contain '==> talker: exit 4, 1 s'
        $run.Lines[$run.Lines.IndexOf('talker out 3') + 1] | Should -Be 'talker err'
    }

    It 'kills a job that outlives its time limit, with its child processes, prints its output so far, and goes on' {
        # A unique argument finds the hung job's child (a sleep the shell waits for) among the machine's processes; 40 s is
        # long enough to tell a kill from an end, and short enough that a scheduler that does not kill fails rather than hangs.
        $marker = '40.{0}' -f (Get-Random -Minimum 100000 -Maximum 999999)
        $jobs = @(
            (New-ShellJob 'hangs' "echo 'got as far as step 1'; echo 'stderr before the hang' >&2; sleep $marker; echo never"),
            (New-ShellJob 'ends' 'sleep 0.5; echo fine'))
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $run = Invoke-Captured -Job $jobs -Parallel 1 -TimeLimit ([timespan]::FromSeconds(2))
        $clock.Stop()

        $hung = $run.Results | Where-Object Name -eq 'hangs'
        $hung.TimedOut | Should -BeTrue
        $hung.Seconds | Should -BeGreaterOrEqual 2
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 30 -Because 'the run ends soon after the limit, not when the sleep would'
        ($run.Results | Where-Object Name -eq 'ends').ExitCode | Should -Be 0
        $run.Lines | Should -Contain 'fine'
        $killed = $run.Lines.FindIndex({ param($l) $l -like '==> hangs: KILLED after * s, its time limit; its output so far:' })
        $killed | Should -BeGreaterOrEqual 0
        $run.Lines[$killed + 1] | Should -Be 'got as far as step 1'
        $run.Lines[$killed + 2] | Should -Be 'stderr before the hang'
        $run.Lines | Should -Not -Contain 'never'
        @(Get-Process sleep -ErrorAction SilentlyContinue | Where-Object CommandLine -like "*$marker*") | Should -HaveCount 0 -Because 'the shell''s child is killed with it'
    }
}
