# Restart-UeStepFunction against the local endpoint over real HTTP with real SigV4: redrives checked against the endpoint's
# own record (redriveCount, the ExecutionRedriven events in the history, its request counters), the answers that leave
# nothing to redrive, a redrive whose answer is lost, refusals before any request, and the pipeline from the listing.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleManifestPath) -Force
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "cmdlets-restart-$([guid]::NewGuid().ToString('n'))"
    $script:Endpoint = Start-TestEndpoint -WorkDirectory $script:Work
    $script:Conn = Get-ConnectionParameters $script:Endpoint

    <# A machine of its own, so that what a test counts is only what it started. #>
    function New-Machine([string]$Name, [hashtable]$Definition) { New-EndpointStateMachine $script:Endpoint -Name $Name -Definition $Definition }
    function Get-Described([string]$Arn) { Invoke-SignedStepFunctions $script:Endpoint -Operation DescribeExecution -Body @{ executionArn = $Arn } }
    <# How many times the endpoint's history records a redrive of the execution. #>
    function Get-RedriveEvents([string]$Arn) {
        @((Invoke-SignedStepFunctions $script:Endpoint -Operation GetExecutionHistory -Body @{ executionArn = $Arn; maxResults = 1000 }).events |
            Where-Object type -eq 'ExecutionRedriven').Count
    }
    function Get-Requests([string]$Operation) { [int](Get-EndpointCounters $script:Endpoint).$Operation }
    function Set-Fault([hashtable]$Fault) {
        $null = Invoke-RestMethod -Uri "$($script:Endpoint.Url)/_local/faults" -Method Post -Body ($Fault | ConvertTo-Json) -ContentType 'application/json'
    }
    function Clear-Faults { $null = Invoke-RestMethod -Uri "$($script:Endpoint.Url)/_local/faults" -Method Delete }
    <# A FAILED execution of a machine: started and waited for through the module (its failure is expected). #>
    function New-FailedExecution([string]$Machine) {
        $failed = Start-UeStepFunction $Machine -Wait -PollingInterval 0.05 @script:Conn -ErrorAction SilentlyContinue
        $failed.result.Status | Should -Be 'FAILED' -Because 'the test needs a failed execution to redrive'
        $failed.result.ExecutionArn
    }

    # Fails (States.NoChoiceMatched: a Choice with no Default) until it has been redriven once, then succeeds.
    $script:FailsOnce = New-Machine 'RedriveFailsOnce' @{ StartAt = 'Gate'; States = @{
            Gate = @{ Type = 'Choice'; Choices = @(@{ Variable = '$$.Execution.RedriveCount'; NumericGreaterThanEquals = 1; Next = 'Done' }) }
            Done = @{ Type = 'Succeed' } } }
    $script:AlwaysFails = New-Machine 'RedriveAlwaysFails' @{ StartAt = 'Boom'; States = @{ Boom = @{ Type = 'Fail'; Error = 'Redrive.Broken'; Cause = 'fails every time' } } }
    $script:Holds = New-Machine 'RedriveHolds' @{ StartAt = 'Pause'; States = @{ Pause = @{ Type = 'Wait'; Seconds = 60000; End = $true } } }
}

AfterAll {
    if ($script:Endpoint) { $script:Endpoint.Stop() }
    if ($script:Work -and (Test-Path $script:Work)) { Remove-Item -Recurse -Force $script:Work }
}

Describe 'Restart-UeStepFunction' {
    It 'redrives a FAILED execution: changed, running again under the same ARN, one redrive in its history' {
        $arn = New-FailedExecution $script:FailsOnce
        $out = Restart-UeStepFunction $arn @script:Conn -ErrorVariable errors
        $errors | Should -BeNullOrEmpty
        $out.exit_code | Should -Be 0
        $out.changed | Should -BeTrue
        $out.ExecutionArn | Should -Be $arn
        $out.result.RedriveCount | Should -Be 1
        $out.result.RedriveDate | Should -Not -BeNullOrEmpty
        $out.Status | Should -BeIn 'RUNNING', 'SUCCEEDED'
        $out.status_description | Should -Match "redriven|SUCCEEDED"
        $out.invocation.fields.action | Should -Be 'Redrive Execution'
        $done = Wait-UeStepFunction $arn -PollingInterval 0.05 @script:Conn
        $done.Status | Should -Be 'SUCCEEDED'
        (Get-Described $arn).redriveCount | Should -Be 1
        Get-RedriveEvents $arn | Should -Be 1
    }

    It 'with -Wait reports the new end: FAILED again is exit 23 and an error, with the redrive in the output''s JSON' {
        $arn = New-FailedExecution $script:AlwaysFails
        $out = Restart-UeStepFunction $arn -Wait -PollingInterval 0.05 @script:Conn -ErrorAction SilentlyContinue -ErrorVariable errors
        $out.exit_code | Should -Be 23
        $out.changed | Should -BeTrue
        $out.result.Error | Should -Be 'Redrive.Broken'
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ExecutionFailed*'
        $json = $out.ToJson() | ConvertFrom-Json
        $json.result.redriveCount | Should -Be 1
        $json.result.redriveDate | Should -Match '^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\+00:00$'
        $json.invocation.fields.wait_for_success_or_failure | Should -BeTrue
        Get-RedriveEvents $arn | Should -Be 1
    }

    It 'redrives an ABORTED execution: it waits again where it was stopped' {
        $stopped = Start-UeStepFunction $script:Holds @script:Conn | Stop-UeStepFunction @script:Conn -Force
        $stopped.Status | Should -Be 'ABORTED'
        $out = Restart-UeStepFunction $stopped @script:Conn
        $out.changed | Should -BeTrue
        $out.Status | Should -Be 'RUNNING'
        (Get-Described $stopped.ExecutionArn).status | Should -Be 'RUNNING'
        $null = Stop-UeStepFunction $stopped @script:Conn -Force
    }

    It 'leaves a SUCCEEDED or RUNNING execution as it is, with a warning and no RedriveExecution: a rerun never redrives twice' {
        $arn = New-FailedExecution $script:FailsOnce
        $null = Restart-UeStepFunction $arn -Wait -PollingInterval 0.05 @script:Conn
        $running = Start-UeStepFunction $script:Holds @script:Conn
        $before = Get-Requests RedriveExecution
        $again = Restart-UeStepFunction $arn @script:Conn -WarningVariable warned
        $again.changed | Should -BeFalse
        $again.exit_code | Should -Be 0
        $again.Status | Should -Be 'SUCCEEDED'
        "$warned" | Should -Match 'was SUCCEEDED: nothing to redrive'
        $still = Restart-UeStepFunction $running @script:Conn -WarningVariable warnedRunning
        $still.changed | Should -BeFalse
        $still.Status | Should -Be 'RUNNING'
        "$warnedRunning" | Should -Match 'was RUNNING: nothing to redrive'
        Get-Requests RedriveExecution | Should -Be $before
        (Get-Described $arn).redriveCount | Should -Be 1
        $null = Stop-UeStepFunction $running @script:Conn -Force
    }

    It 'redrives once when the first answer is lost: the repeat carries the same client token' {
        $arn = New-FailedExecution $script:AlwaysFails
        Set-Fault @{ operation = 'RedriveExecution'; kind = 'drop-after-processing'; count = 1 }
        try {
            $out = Restart-UeStepFunction $arn -Wait -PollingInterval 0.05 @script:Conn -ErrorAction SilentlyContinue
        } finally { Clear-Faults }
        # Without the token the repeat found the execution redriven and running (ExecutionNotRedrivable, exit 20), or redrove
        # it a second time once it had failed again.
        $out.exit_code | Should -Be 23 -Because $out.status_description
        $out.changed | Should -BeTrue
        Get-RedriveEvents $arn | Should -Be 1
        (Get-Described $arn).redriveCount | Should -Be 1
    }

    It 'reads the execution back when every answer is lost, and reports the redrive that took effect' {
        $arn = New-FailedExecution $script:FailsOnce
        $before = Get-Requests RedriveExecution
        Set-Fault @{ operation = 'RedriveExecution'; kind = 'drop-after-processing'; count = 20 }
        try {
            $out = Restart-UeStepFunction $arn @script:Conn -ErrorVariable errors -ErrorAction SilentlyContinue
        } finally { Clear-Faults }
        Get-Requests RedriveExecution | Should -BeGreaterThan ($before + 1) -Because 'the SDK repeated the request whose answer was lost'
        $errors | Should -BeNullOrEmpty
        $out.changed | Should -BeTrue
        $out.result.RedriveCount | Should -Be 1
        Get-RedriveEvents $arn | Should -Be 1
    }

    It 'says what is known when no redrive can be seen after the answers were lost' {
        $arn = New-FailedExecution $script:AlwaysFails
        Set-Fault @{ operation = 'RedriveExecution'; kind = 'reset'; count = 20 }
        try {
            $out = Restart-UeStepFunction $arn @script:Conn -ErrorVariable errors -ErrorAction SilentlyContinue
        } finally { Clear-Faults }
        $out.exit_code | Should -Be 10
        @($errors).Count | Should -Be 1
        $errors[0].Exception.Message | Should -Match 'may have reached the service.*running the command again is safe'
        (Get-Described $arn).redriveCount | Should -Be 0
    }

    It 'refuses before any request: an EXPRESS execution, a malformed ARN; -WhatIf sends nothing' {
        Reset-EndpointCounters $script:Endpoint
        $express = 'arn:aws:states:us-east-1:123456789012:express:Quick:run-1:0b7c3a8e-1d2f-4e5a-9b6c-7d8e9f0a1b2c'
        $out = Restart-UeStepFunction $express @script:Conn -ErrorVariable errors -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $errors[0].Exception.ExitCode | Should -Be 20
        $errors[0].Exception.ErrorId | Should -Be 'ExpressExecutionNotRedrivable'
        $errors[0].Exception.Message | Should -Match "^-ExecutionArn '.*' is an EXPRESS execution"
        $null = Restart-UeStepFunction 'arn:aws:states:us-east-1:123456789012:stateMachine:Quick' @script:Conn -ErrorVariable malformed -ErrorAction SilentlyContinue
        $malformed[0].Exception.ExitCode | Should -Be 20
        $malformed[0].Exception.Field | Should -Be 'execution_arn'
        $arn = New-FailedExecution $script:FailsOnce
        Reset-EndpointCounters $script:Endpoint
        Restart-UeStepFunction $arn @script:Conn -WhatIf | Should -BeNullOrEmpty
        (Get-EndpointRequestCount $script:Endpoint) | Should -Be 0
        (Get-Described $arn).status | Should -Be 'FAILED'
    }

    It 'reports an execution that does not exist as not found, exit 20, without a redrive' {
        $before = Get-Requests RedriveExecution
        $missing = $script:FailsOnce -replace ':stateMachine:', ':execution:' -replace '$', ':no-such-run'
        $null = Restart-UeStepFunction $missing @script:Conn -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].Exception.ExitCode | Should -Be 20
        $errors[0].Exception.ErrorId | Should -Be 'ExecutionDoesNotExist'
        Get-Requests RedriveExecution | Should -Be $before
    }

    It 'Ctrl+C during -Wait -StopOnCancel stops the redriven execution, and $Error says so' {
        $stopped = Start-UeStepFunction $script:Holds @script:Conn | Stop-UeStepFunction @script:Conn -Force
        $arn = $stopped.ExecutionArn
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Conn, $Arn)
                    Import-Module $Manifest
                    Restart-UeStepFunction $Arn -Wait -StopOnCancel -PollingInterval 0.1 @Conn
                }).AddArgument((Get-ModuleManifestPath)).AddArgument($script:Conn).AddArgument($arn)
            $null = $ps.BeginInvoke()
            # Cancel once the redrive has happened and the wait is under way.
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            do {
                Start-Sleep -Milliseconds 100
                $state = Get-Described $arn
            } until (($state.status -eq 'RUNNING' -and $state.redriveCount -eq 1) -or [DateTime]::UtcNow -gt $deadline)
            $state.status | Should -Be 'RUNNING' -Because 'the background Restart-UeStepFunction should have redriven it'
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 4 -Because 'Ctrl+C returns once the stop is sent (at most 3.5 s)'
            (Get-Described $arn).status | Should -Be 'ABORTED'
            $cancelled = $ps.Runspace.SessionStateProxy.GetVariable('Error')[0]
            $cancelled.Exception.ErrorId | Should -Be 'WaitCancelled'
            $cancelled.Exception.Message | Should -Be "The wait was cancelled and execution $arn was stopped."
            $cancelled.TargetObject.changed | Should -BeTrue
            $cancelled.TargetObject.result.Status | Should -Be 'ABORTED'
        } finally {
            $ps.Dispose()
        }
    }

    It 'takes what Get-UeStepFunctionExecution lists: every failed execution redriven and waited for, -ThrottleLimit at a time' {
        $machine = New-Machine 'RedriveListed' @{ StartAt = 'Gate'; States = @{
                Gate = @{ Type = 'Choice'; Choices = @(@{ Variable = '$$.Execution.RedriveCount'; NumericGreaterThanEquals = 1; Next = 'Done' }) }
                Done = @{ Type = 'Succeed' } } }
        $failed = @(1..5 | ForEach-Object { New-FailedExecution $machine })
        $outs = @(Get-UeStepFunctionExecution $machine -Status FAILED @script:Conn | Restart-UeStepFunction -Wait -PollingInterval 0.05 -ThrottleLimit 4 @script:Conn)
        $outs.Count | Should -Be 5
        @($outs.ExecutionArn | Sort-Object) | Should -Be @($failed | Sort-Object)
        @($outs.Status | Select-Object -Unique) | Should -Be 'SUCCEEDED'
        @($outs.changed | Select-Object -Unique) | Should -Be $true
        foreach ($arn in $failed) { Get-RedriveEvents $arn | Should -Be 1 }
    }
}
