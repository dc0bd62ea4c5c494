# Real state machines end to end: the BUILT endpoint runs samples/OrderPipeline.asl.json (Task + Retry/Catch +
# Parallel + Map + intrinsic functions), and its JSONata twin OrderPipelineJsonata.asl.json (Arguments, Output and
# workflow variables), with their Task results from samples/MockConfig.json, and the BUILT module
# starts and waits for the executions the way a user does. Histories are read with the AWS CLI v2, an independent
# client. Waits and retry intervals run 100 times faster (--time-scale), so the whole file takes seconds.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleManifestPath) -Force
    $samples = Join-Path (Get-RepoRoot) 'samples'
    $script:Endpoint = Start-LocalEndpoint -Arguments @(
        '--definitions', $samples, '--mock-config', (Join-Path $samples 'MockConfig.json'), '--time-scale', '100')
    $script:OrderArn = Get-StateMachineArn OrderPipeline
    $script:OrderInput = '{"orderId":"A-100","items":[{"sku":"A-1","qty":2},{"sku":"B-2","qty":1},{"sku":"C-3","qty":5}],"tags":["gift","express"]}'

    <# Starts OrderPipeline on '<arn>#<TestCase>' through the module and waits; returns the module's result object. #>
    function Invoke-OrderPipeline {
        param([Parameter(Mandatory)][string]$TestCase, [string]$Machine = 'OrderPipeline')
        $connection = Get-ConnectionParameters $script:Endpoint
        # A FAILED execution is also a non-terminating error from the cmdlet; the returned object is what we check.
        $result = Start-UeStepFunction -StateMachineArn "$(Get-StateMachineArn $Machine)#$TestCase" -Input $script:OrderInput -Wait -PollingInterval 0.2 @connection `
            -ErrorAction SilentlyContinue -ErrorVariable cmdletErrors
        $script:CmdletErrors = @($cmdletErrors)
        $result
    }

    function Get-History {
        param([Parameter(Mandatory)][string]$ExecutionArn)
        @((Invoke-AwsCli $script:Endpoint @('stepfunctions', 'get-execution-history', '--execution-arn', $ExecutionArn)).events)
    }

    <# The Task events of one integration ('invoke' = the lambda:invoke Charge state) in history order. #>
    function Get-TaskOutcomes {
        param([Parameter(Mandatory)]$Events, [string]$Resource = 'invoke')
        foreach ($e in $Events) {
            if ($e.type -notin 'TaskFailed', 'TaskSucceeded') { continue }
            $details = if ($e.type -eq 'TaskFailed') { $e.taskFailedEventDetails } else { $e.taskSucceededEventDetails }
            if ($details.resource -eq $Resource) { $e }
        }
    }

    $script:CmdletErrors = @()
    # The happy path is read by several tests (output, Map, intrinsics): run it once.
    $script:Happy = Invoke-OrderPipeline -TestCase HappyPath
    $script:HappyHistory = if ($script:Happy.result.ExecutionArn) { Get-History $script:Happy.result.ExecutionArn } else { @() }
}

AfterAll {
    if ($script:Endpoint) { $script:Endpoint.Stop() }
}

Describe 'OrderPipeline through the module' {
    It 'succeeds on the happy path with exactly the documented output' {
        $script:Happy.exit_code | Should -Be 0 -Because ($script:CmdletErrors | Out-String)
        $script:Happy.result.Status | Should -Be 'SUCCEEDED'
        $script:Happy.result.Output | Should -BeExactly ('{"orderId":"A-100","summary":"Order A-100 has 3 items","reference":"QS0xMDA=",' +
            '"batches":[[1,2],[3,4],[5]],"express":true,"payment":{"status":"charged","transaction":"tx-1001"},' +
            '"fulfilment":{"reservation":{"reserved":true},"notification":{"messageId":"msg-42"}},' +
            '"labels":["A-1 x2 (#0)","B-2 x1 (#1)","C-3 x5 (#2)"]}')
        $script:HappyHistory[-1].type | Should -Be 'ExecutionSucceeded'
    }

    It 'evaluates intrinsic functions in Parameters (Format, ArrayLength, Base64Encode, ArrayPartition, ArrayRange, ArrayContains)' {
        $script:Happy.result.Status | Should -Be 'SUCCEEDED' -Because ($script:CmdletErrors | Out-String)
        $validated = $script:HappyHistory | Where-Object { $_.type -eq 'PassStateExited' -and $_.stateExitedEventDetails.name -eq 'Validate' }
        $output = $validated.stateExitedEventDetails.output | ConvertFrom-Json
        $output.summary | Should -BeExactly 'Order A-100 has 3 items'
        [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($output.reference)) | Should -BeExactly 'A-100'
        ($output.batches | ConvertTo-Json -Compress) | Should -BeExactly '[[1,2],[3,4],[5]]'
        $output.express | Should -BeTrue
    }

    It 'runs the Map over every item, in order, never more than MaxConcurrency (2) at once' {
        $script:Happy.result.Status | Should -Be 'SUCCEEDED' -Because ($script:CmdletErrors | Out-String)
        $started = $script:HappyHistory | Where-Object type -EQ 'MapStateStarted'
        $started.mapStateStartedEventDetails.length | Should -Be 3
        @($script:HappyHistory | Where-Object type -EQ 'MapIterationSucceeded').Count | Should -Be 3
        (@($script:HappyHistory | Where-Object type -EQ 'MapIterationStarted' | ForEach-Object { $_.mapIterationStartedEventDetails.index }) |
            Sort-Object) -join ',' | Should -Be '0,1,2'
        # Each iteration waits (10 ms at this time scale): two overlap, the third waits for a free slot.
        $open = 0; $most = 0
        foreach ($e in $script:HappyHistory) {
            if ($e.type -eq 'MapIterationStarted') { $open++; $most = [Math]::Max($most, $open) }
            elseif ($e.type -in 'MapIterationSucceeded', 'MapIterationFailed', 'MapIterationAborted') { $open-- }
        }
        $most | Should -Be 2
        ($script:Happy.result.Output | ConvertFrom-Json).labels -join '|' | Should -BeExactly 'A-1 x2 (#0)|B-2 x1 (#1)|C-3 x5 (#2)'
    }

    It 'retries a throttled Task and succeeds on the third invocation' {
        $run = Invoke-OrderPipeline -TestCase RetryPath
        $run.result.Status | Should -Be 'SUCCEEDED' -Because ($script:CmdletErrors | Out-String)
        ($run.result.Output | ConvertFrom-Json).payment.transaction | Should -Be 'tx-1003'
        $charge = @(Get-TaskOutcomes (Get-History $run.result.ExecutionArn))
        ($charge.type -join ',') | Should -Be 'TaskFailed,TaskFailed,TaskSucceeded'
        $charge[0].taskFailedEventDetails.error | Should -Be 'Lambda.TooManyRequestsException'
        $charge[1].taskFailedEventDetails.cause | Should -Be 'Rate exceeded'
    }

    It 'routes a declined payment through Catch and succeeds with the catcher''s output' {
        $run = Invoke-OrderPipeline -TestCase DeclinedPath
        $run.exit_code | Should -Be 0 -Because ($script:CmdletErrors | Out-String)
        $run.result.Output | Should -BeExactly '{"orderId":"A-100","outcome":"declined","reason":"The card was declined"}'
        $history = Get-History $run.result.ExecutionArn
        (@(Get-TaskOutcomes $history).type -join ',') | Should -Be 'TaskFailed'
        $exit = $history | Where-Object { $_.type -eq 'TaskStateExited' -and $_.stateExitedEventDetails.name -eq 'Charge' }
        ($exit.stateExitedEventDetails.output | ConvertFrom-Json).failure.Error | Should -Be 'Payment.Declined'
        $history.type | Should -Contain 'PassStateEntered'
        $history.type | Should -Not -Contain 'ParallelStateEntered'
    }
}

Describe 'A failing Parallel branch through UeStepFunctionTask.ps1, then a redrive' {
    BeforeAll {
        $arguments = @('-StateMachineArn', "$($script:OrderArn)#BranchFails", '-Input', $script:OrderInput, '-Wait', '-PollingInterval', '0.2',
            '-Region', 'us-east-1', '-EndpointUrl', $script:Endpoint.Url,
            '-CredentialsUser', 'AKIAIOSFODNN7EXAMPLE', '-CredentialsPassword', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')
        $script:Task = Invoke-TaskScript -Arguments $arguments -TimeoutSeconds 120
        $script:FailedArn = $script:Task.Json.result.ExecutionArn
    }

    It 'ends FAILED with exit code 23 and the branch''s error and cause' {
        $script:Task.ExitCode | Should -Be 23 -Because "$($script:Task.Stdout) $($script:Task.Stderr)"
        $script:Task.Json.result.Status | Should -Be 'FAILED'
        $script:Task.Json.result.Error | Should -BeExactly 'Warehouse.OutOfStock'
        $script:Task.Json.result.Cause | Should -BeExactly 'SKU B-2 is out of stock'
        $history = Get-History $script:FailedArn
        $history.type | Should -Contain 'ParallelStateFailed'
        $history[-1].type | Should -Be 'ExecutionFailed'
        $history.type | Should -Not -Contain 'MapStateStarted'
    }

    It 'redrives from the failed Parallel state: earlier states are not run again' {
        $script:FailedArn | Should -Not -BeNullOrEmpty -Because "the task run must have started an execution: $($script:Task.Stdout)"
        $before = Get-History $script:FailedArn
        $redrive = Invoke-SignedStepFunctions $script:Endpoint -Operation RedriveExecution -Body @{ executionArn = $script:FailedArn }
        $redrive.redriveDate | Should -Not -BeNullOrEmpty
        $connection = Get-ConnectionParameters $script:Endpoint
        $done = Wait-UeStepFunction -ExecutionArn $script:FailedArn -PollingInterval 0.2 @connection -ErrorAction SilentlyContinue -ErrorVariable waitErrors
        $done.result.Status | Should -Be 'SUCCEEDED' -Because ($waitErrors | Out-String)
        ($done.result.Output | ConvertFrom-Json).fulfilment.reservation.reserved | Should -BeTrue

        # Signed by hand too: the CLI's older service model drops the redrive members.
        $described = Invoke-SignedStepFunctions $script:Endpoint -Operation DescribeExecution -Body @{ executionArn = $script:FailedArn }
        $described.redriveCount | Should -Be 1
        $described.redriveDate | Should -Be $redrive.redriveDate
        $history = Get-History $script:FailedArn
        $history[$before.Count].type | Should -Be 'ExecutionRedriven'
        $history[$before.Count + 1].type | Should -Be 'ParallelStateEntered'
        @($history | Where-Object { $_.type -eq 'PassStateEntered' -and $_.stateEnteredEventDetails.name -eq 'Validate' }).Count | Should -Be 1
        @(Get-TaskOutcomes $history).Count | Should -Be 1 -Because 'Charge succeeded before the failure and is not charged twice'
    }
}

Describe 'OrderPipelineJsonata: the same pipeline in JSONata with workflow variables' {
    It 'gives exactly the JSONPath pipeline''s output on <TestCase>' -ForEach @(
        @{ TestCase = 'HappyPath' }, @{ TestCase = 'RetryPath' }, @{ TestCase = 'DeclinedPath' }) {
        $jsonPath = Invoke-OrderPipeline -TestCase $TestCase
        $jsonata = Invoke-OrderPipeline -TestCase $TestCase -Machine OrderPipelineJsonata
        $jsonata.exit_code | Should -Be 0 -Because ($script:CmdletErrors | Out-String)
        $jsonata.result.Status | Should -Be 'SUCCEEDED'
        $jsonata.result.Output | Should -BeExactly $jsonPath.result.Output
    }

    It 'records what each state assigned, and the Task''s arguments built from variables' {
        $run = Invoke-OrderPipeline -TestCase HappyPath -Machine OrderPipelineJsonata
        # Signed by hand: the Debian CLI's service model predates variables and drops assignedVariables.
        $events = (Invoke-SignedStepFunctions $script:Endpoint -Operation GetExecutionHistory -Body @{ executionArn = $run.result.ExecutionArn }).events
        $validate = $events | Where-Object { $_.type -eq 'PassStateExited' -and $_.stateExitedEventDetails.name -eq 'Validate' }
        $assigned = $validate.stateExitedEventDetails.assignedVariables
        $assigned.orderId | Should -BeExactly '"A-100"'
        $assigned.batches | Should -BeExactly '[[1,2],[3,4],[5]]'
        $assigned.express | Should -BeExactly 'true'
        $scheduled = $events | Where-Object { $_.type -eq 'TaskScheduled' -and $_.taskScheduledEventDetails.resource -eq 'publish' }
        ($scheduled.taskScheduledEventDetails.parameters | ConvertFrom-Json).Message | Should -BeExactly 'Order A-100 has 3 items'
    }

    It 'redrives a failed branch with the variables the execution had, without charging again' {
        $failed = Invoke-OrderPipeline -TestCase BranchFails -Machine OrderPipelineJsonata
        $failed.result.Status | Should -Be 'FAILED'
        $failed.result.Error | Should -BeExactly 'Warehouse.OutOfStock'
        $arn = $failed.result.ExecutionArn
        $null = Invoke-SignedStepFunctions $script:Endpoint -Operation RedriveExecution -Body @{ executionArn = $arn }
        $connection = Get-ConnectionParameters $script:Endpoint
        $done = Wait-UeStepFunction -ExecutionArn $arn -PollingInterval 0.2 @connection -ErrorAction SilentlyContinue -ErrorVariable waitErrors
        # Fulfil's branches and Done read $orderId, $summary and $payment, assigned before the failure.
        $done.result.Status | Should -Be 'SUCCEEDED' -Because ($waitErrors | Out-String)
        $output = $done.result.Output | ConvertFrom-Json
        $output.orderId | Should -BeExactly 'A-100'
        $output.payment.transaction | Should -BeExactly 'tx-1001'
        $output.fulfilment.notification.messageId | Should -BeExactly 'msg-42'
        @(Get-TaskOutcomes (Get-History $arn)).Count | Should -Be 1 -Because 'Charge succeeded before the failure and is not charged twice'
    }
}

Describe 'An activity Task: an AWS CLI worker answers what the module and the task wait for' {
    BeforeAll {
        $name = "Approvals$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $script:Activity = (Invoke-AwsCli $script:Endpoint @('stepfunctions', 'create-activity', '--name', $name)).activityArn
        $definition = '{"StartAt":"Approve","States":{"Approve":{"Type":"Task","Resource":"' + $script:Activity + '","End":true}}}'
        $script:ApprovalArn = (Invoke-AwsCli $script:Endpoint @('stepfunctions', 'create-state-machine', '--name', $name, '--definition', $definition,
                '--role-arn', 'arn:aws:iam::123456789012:role/Approvals')).stateMachineArn

        <#
        A worker in its own process, as one runs beside a scheduler: the AWS CLI long-polls GetActivityTask (it is running
        before the execution starts, so the task reaches it while the caller waits), prints the input it was given, then
        answers with the token: success with -Output, or failure with -Error and -Cause.
        #>
        function Start-CliWorker([string]$Output, [string]$Error, [string]$Cause) {
            $answer = if ($Output) { "send-task-success --task-token `"`$token`" --task-output '$Output'" }
            else { "send-task-failure --task-token `"`$token`" --error '$Error' --cause '$Cause'" }
            $script = @"
set -e
IFS=`$'\t' read -r token input < <(/usr/bin/aws stepfunctions get-activity-task --endpoint-url '$($script:Endpoint.Url)' --activity-arn '$($script:Activity)' --worker-name cli-worker --query '[taskToken,input]' --output text)
printf '%s\n' "`$input"
/usr/bin/aws stepfunctions $answer --endpoint-url '$($script:Endpoint.Url)' >/dev/null
"@
            $psi = [System.Diagnostics.ProcessStartInfo]::new('/bin/bash')
            foreach ($a in '-c', $script) { $psi.ArgumentList.Add($a) }
            $psi.RedirectStandardOutput = $true
            $psi.RedirectStandardError = $true
            $psi.UseShellExecute = $false
            foreach ($pair in @{
                    AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'; AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
                    AWS_DEFAULT_REGION = 'us-east-1'; AWS_PAGER = ''
                    AWS_CONFIG_FILE = Join-Path ([IO.Path]::GetTempPath()) 'no-such-aws-config'
                    AWS_SHARED_CREDENTIALS_FILE = Join-Path ([IO.Path]::GetTempPath()) 'no-such-aws-credentials'
                }.GetEnumerator()) { $psi.Environment[$pair.Key] = $pair.Value }
            [void]$psi.Environment.Remove('AWS_SESSION_TOKEN'); [void]$psi.Environment.Remove('AWS_PROFILE')
            $process = [System.Diagnostics.Process]::Start($psi)
            [pscustomobject]@{ Process = $process; Stdout = $process.StandardOutput.ReadToEndAsync(); Stderr = $process.StandardError.ReadToEndAsync() }
        }

        function Wait-CliWorker($Worker) {
            if (-not $Worker.Process.WaitForExit(90000)) { $Worker.Process.Kill($true); throw 'the AWS CLI worker did not finish within 90 s' }
            $Worker.Process.WaitForExit()
            [pscustomobject]@{ ExitCode = $Worker.Process.ExitCode; Input = $Worker.Stdout.Result.Trim(); Stderr = $Worker.Stderr.Result }
        }
    }

    It 'Start-UeStepFunction -Wait returns SUCCEEDED with the worker''s output, and the worker got the -Input' {
        $worker = Start-CliWorker -Output '{"approved":true}'
        $connection = Get-ConnectionParameters $script:Endpoint
        $result = Start-UeStepFunction -StateMachineArn $script:ApprovalArn -Input @{ amount = 120 } -Wait -PollingInterval 0.2 -Timeout 60 @connection
        $done = Wait-CliWorker $worker
        $done.ExitCode | Should -Be 0 -Because $done.Stderr
        $done.Input | Should -Be '{"amount":120}'
        $result.exit_code | Should -Be 0
        $result.result.Status | Should -Be 'SUCCEEDED'
        $result.result.Output | Should -BeExactly '{"approved":true}'
        $events = @((Invoke-AwsCli $script:Endpoint @('stepfunctions', 'get-execution-history', '--execution-arn', $result.result.ExecutionArn)).events)
        $events.type | Should -Be @('ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionSucceeded')
    }

    It 'UeStepFunctionTask.ps1 -Wait ends with exit 23 and the worker''s error and cause when the worker fails the task' {
        $worker = Start-CliWorker -Error 'Approval.Rejected' -Cause 'over budget'
        $run = Invoke-TaskScript -Arguments @('-StateMachineArn', $script:ApprovalArn, '-Input', '{"amount":9000}', '-Wait', '-PollingInterval', '0.2',
            '-Timeout', '60', '-Region', 'us-east-1', '-EndpointUrl', $script:Endpoint.Url,
            '-CredentialsUser', 'AKIAIOSFODNN7EXAMPLE', '-CredentialsPassword', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY') -TimeoutSeconds 120
        $done = Wait-CliWorker $worker
        $done.ExitCode | Should -Be 0 -Because $done.Stderr
        $done.Input | Should -Be '{"amount":9000}'
        $run.ExitCode | Should -Be 23 -Because "$($run.Stdout) $($run.Stderr)"
        $run.Json.result.Status | Should -Be 'FAILED'
        $run.Json.result.Error | Should -BeExactly 'Approval.Rejected'
        $run.Json.result.Cause | Should -BeExactly 'over budget'
    }
}
