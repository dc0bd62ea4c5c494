# Keeps the soak working: bench/Invoke-Soak.ps1 -Quick runs its three phases (a healthy endpoint, calls as a role whose
# sessions last seconds, an endpoint failing requests at random) for a few seconds each in a child pwsh and must exit 0 with its report in artifacts/soak/. Its judge, which
# decides whether a round kept the module's promises, is shown here to catch each way a round can break them.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = Get-RepoRoot
    Import-Module (Join-Path $script:Root 'bench/SoakJudge.psm1') -Force

    function New-Output([string]$Arn, [string]$Status, [int]$ExitCode, [string]$InputJson) {
        [pscustomobject]@{ exit_code = $ExitCode; result = [pscustomobject]@{ ExecutionArn = $Arn; Status = $Status }
            invocation = [pscustomobject]@{ fields = [pscustomobject]@{ input = $InputJson } } }
    }
    function New-Failure([string]$Message, $Target) {
        [System.Management.Automation.ErrorRecord]::new([Exception]::new($Message), 'Soak', 'NotSpecified', $Target)
    }
    $script:Arn = 'arn:aws:states:us-east-1:123456789012:execution:BenchSoak:'
    $script:Records = @(1..3 | ForEach-Object { [pscustomobject]@{ Input = "{`"i`":$_}" } }) + @([pscustomobject]@{ Input = '{"i":4,"fail":true}' })
    $script:Good = @(
        New-Output "$($script:Arn)a" SUCCEEDED 0 '{"i":1}'; New-Output "$($script:Arn)b" SUCCEEDED 0 '{"i":2}'
        New-Output "$($script:Arn)c" SUCCEEDED 0 '{"i":3}'; New-Output "$($script:Arn)d" FAILED 23 '{"i":4,"fail":true}')
    # A FAILED execution is an output and an error about that same execution.
    $script:FailedError = New-Failure 'FAILED: Step Function is in FAILED state.' $script:Good[3]
    $script:Started = @('a', 'b', 'c', 'd' | ForEach-Object { "$($script:Arn)$_" })

    $report = Join-Path $script:Root 'artifacts/soak'
    foreach ($name in 'SOAK.md', 'soak.json') { Remove-Item -Force (Join-Path $report $name) -ErrorAction Ignore }
    $script:Output = & (Get-PwshPath) -NoProfile -NonInteractive -File (Join-Path $script:Root 'bench/Invoke-Soak.ps1') -Quick 2>&1
    $script:ExitCode = $LASTEXITCODE
    $script:OutputText = $script:Output | Out-String
    $script:Json = Join-Path $report 'soak.json'
    $script:Markdown = Join-Path $report 'SOAK.md'
}

Describe 'The soak''s judge' {
    It 'passes a round that kept every promise' {
        $verdict = Test-SoakRound -Records $script:Records -Outputs $script:Good -Errors @($script:FailedError) -Before @() -After $script:Started
        $verdict.Problems | Should -BeNullOrEmpty
        $verdict.StartFailures | Should -Be 0
    }

    It 'catches an execution reported twice' {
        $twice = @($script:Good[0], $script:Good[0], $script:Good[2], $script:Good[3])
        (Test-SoakRound -Records $script:Records -Outputs $twice -Errors @() -Before @() -After $script:Started).Problems -join "`n" |
            Should -Match 'reported twice'
    }

    It 'catches an execution started but never reported, and a record left unanswered' {
        $problems = (Test-SoakRound -Records $script:Records -Outputs $script:Good[0..2] -Errors @() -Before @() -After $script:Started).Problems -join "`n"
        $problems | Should -Match 'started, but never reported: .*:d'
        $problems | Should -Match '4 records, 3 outputs and 0 start failures'
    }

    It 'catches an execution reported but not started in the round (started before it)' {
        (Test-SoakRound -Records $script:Records -Outputs $script:Good -Errors @() -Before @("$($script:Arn)a") -After $script:Started).Problems -join "`n" |
            Should -Match 'reported, but not started in this round: .*:a'
    }

    It 'catches an outcome other than the one the input asked for' {
        $wrong = @($script:Good[0..2]) + @(New-Output "$($script:Arn)d" SUCCEEDED 0 '{"i":4,"fail":true}')
        (Test-SoakRound -Records $script:Records -Outputs $wrong -Errors @() -Before @() -After $script:Started).Problems -join "`n" |
            Should -Match 'SUCCEEDED exit 0, expected FAILED exit 23'
    }

    It 'counts a refused start as an answer, and catches one that said "not found" about an execution that exists' {
        $refused = New-Failure 'The service kept failing. The request may have reached the service: an execution named d may have started, but it was not found when read back for 2 s.' ([pscustomobject]@{ result = $null })
        $verdict = Test-SoakRound -Records $script:Records -Outputs $script:Good[0..2] -Errors @($refused) -Before @() -After $script:Started[0..2]
        $verdict.Problems | Should -BeNullOrEmpty
        $verdict.StartFailures | Should -Be 1
        $verdict.UnknownOutcome | Should -Be 1
        (Test-SoakRound -Records $script:Records -Outputs $script:Good[0..2] -Errors @($refused) -Before @() -After $script:Started).Problems -join "`n" |
            Should -Match 'said not found, but started: d'
    }
}

Describe 'bench/Invoke-Soak.ps1 -Quick' {
    It 'exits 0: every phase ran and no promise was broken' {
        $script:ExitCode | Should -Be 0 -Because "the soak printed:`n$script:OutputText"
    }

    It 'ran rounds in all three phases, renewed the role''s sessions once each, injected faults, and sampled memory' {
        $result = Get-Content -Raw $script:Json | ConvertFrom-Json
        $result.promisesBroken | Should -Be 0
        $result.phases.steady.rounds | Should -BeGreaterThan 0
        $result.phases.role.rounds | Should -BeGreaterThan 0
        # The quick run's role sessions last 6 s and its phase about 18 s: several renewals, not one per call.
        $result.phases.role.assumeRoleCalls | Should -BeGreaterThan 1
        $result.phases.role.assumeRoleCalls | Should -BeLessOrEqual $result.phases.role.assumeRoleExpectedAtMost
        $result.phases.faults.rounds | Should -BeGreaterThan 0
        $result.phases.faults.records | Should -Be ($result.phases.faults.rounds * 40)
        @($result.faultsInjected.PSObject.Properties).Count | Should -BeGreaterThan 0
        @($result.phases.steady.samples).Count | Should -BeGreaterOrEqual 2
        $result.phases.steady.samples[-1].rssBytes | Should -BeGreaterThan 0
    }

    It 'writes a Markdown report with its sections' {
        $text = Get-Content -Raw $script:Markdown
        foreach ($heading in '# Soak', '## Promises', '## Memory of the session') { $text | Should -Match ([regex]::Escape($heading)) }
    }
}
