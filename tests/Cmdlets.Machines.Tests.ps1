# Get-UeStepFunctionStateMachine against the local endpoint over real HTTP with real SigV4: the listing against the AWS
# CLI's reading of the same account (another client, another signer), more than one ListStateMachines page, names and
# wildcards, the type filter, the pipeline into the other cmdlets, refusals and the table view.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-RepoRoot) 'tools/LocalEndpoint.psm1') -Force
    Import-Module (Get-ModuleManifestPath) -Force
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "cmdlets-machines-$([guid]::NewGuid().ToString('n'))"
    $script:Endpoint = Start-TestEndpoint -WorkDirectory $script:Work
    $script:Conn = Get-ConnectionParameters $script:Endpoint

    # More than one ListStateMachines page (1,000 at most each): an endpoint of its own that loads 1,005 definitions.
    $many = Join-Path $script:Work 'many'
    New-Item -ItemType Directory -Force $many | Out-Null
    $pass = @{ StartAt = 'Done'; States = @{ Done = @{ Type = 'Pass'; End = $true } } } | ConvertTo-Json -Depth 5 -Compress
    foreach ($i in 1..1005) { [IO.File]::WriteAllText((Join-Path $many ('Machine{0:D4}.asl.json' -f $i)), $pass) }
    $script:Crowded = Start-LocalEndpoint -Arguments @('--definitions', $many)
    $script:CrowdedConn = Get-ConnectionParameters $script:Crowded

    <# How many ListStateMachines requests reached an endpoint while the script block ran. #>
    function Measure-MachineListRequests($Endpoint, [scriptblock]$Script) {
        $before = [int](Get-EndpointCounters $Endpoint).ListStateMachines
        $null = & $Script
        [int](Get-EndpointCounters $Endpoint).ListStateMachines - $before
    }
}

AfterAll {
    foreach ($endpoint in $script:Endpoint, $script:Crowded) { if ($endpoint) { $endpoint.Stop() } }
    if ($script:Work -and (Test-Path $script:Work)) { Remove-Item -Recurse -Force $script:Work }
}

Describe 'Get-UeStepFunctionStateMachine' {
    It 'writes every state machine of the region, by name, as the AWS CLI lists them' {
        $machines = @(Get-UeStepFunctionStateMachine @script:Conn)
        $cli = @((Invoke-AwsCli $script:Endpoint @('stepfunctions', 'list-state-machines')).stateMachines | Sort-Object name)
        $machines.Count | Should -Be $cli.Count
        $machines.Name | Should -Be @('Fails', 'Hello', 'HelloExpress', 'Short', 'Slow', 'TimesOut')
        $machines.Name | Should -Be $cli.name
        $machines.StateMachineArn | Should -Be $cli.stateMachineArn
        $machines.Type | Should -Be $cli.type
        $machines[0].GetType().FullName | Should -Be 'AwsStepFunctions.Core.StateMachineSummary'
        $machines[0] | Should -BeOfType ([type]'AwsStepFunctions.Core.StateMachineSummary')
        $machines[0].CreationDate | Should -BeOfType [DateTimeOffset]
        $machines[0].CreationDate.ToUnixTimeMilliseconds() | Should -Be ([DateTimeOffset]$cli[0].creationDate).ToUnixTimeMilliseconds()
        "$($machines[0])" | Should -Be (Get-StateMachineArn Fails)
    }

    It 'reads every page: two requests for 1,005 machines, each machine once' {
        $all = $null
        Measure-MachineListRequests $script:Crowded { $script:all = @(Get-UeStepFunctionStateMachine @script:CrowdedConn) } | Should -Be 2
        $script:all.Count | Should -Be 1005
        $script:all.Name | Should -Be @(1..1005 | ForEach-Object { 'Machine{0:D4}' -f $_ })
        @($script:all.StateMachineArn | Select-Object -Unique).Count | Should -Be 1005
    }

    It 'picks machines by -Name, in any case and with wildcards, and by -Type in any case' {
        @(Get-UeStepFunctionStateMachine hello @script:Conn).Name | Should -Be 'Hello'
        @(Get-UeStepFunctionStateMachine 'HELLO*' @script:Conn).Name | Should -Be @('Hello', 'HelloExpress')
        @(Get-UeStepFunctionStateMachine 'S*', '*Out' @script:Conn).Name | Should -Be @('Short', 'Slow', 'TimesOut')
        @(Get-UeStepFunctionStateMachine -Type express @script:Conn).Name | Should -Be 'HelloExpress'
        @(Get-UeStepFunctionStateMachine 'Hello*' -Type STANDARD @script:Conn).Name | Should -Be 'Hello'
        @(Get-UeStepFunctionStateMachine 'Nothing*' @script:Conn -ErrorVariable none) | Should -BeNullOrEmpty
        $none | Should -BeNullOrEmpty
    }

    It 'writes the machines found, then an error for a name without wildcards that matched none (exit 20, StateMachineNotFound)' {
        $caught = $null
        $found = @(Get-UeStepFunctionStateMachine 'Hello', 'Nope' -Type STANDARD @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue)
        $found.Name | Should -Be 'Hello'
        $caught.Count | Should -Be 1
        $caught[0].Exception | Should -BeOfType AwsStepFunctions.UeStepFunctionException
        $caught[0].Exception.ExitCode | Should -Be 20
        $caught[0].Exception.ErrorId | Should -Be 'StateMachineNotFound'
        $caught[0].Exception.Target | Should -Be 'Nope'
        $caught[0].Exception.Message | Should -Be "No state machine named 'Nope' of type STANDARD in region us-east-1."
        $caught[0].TargetObject.invocation.fields.action | Should -Be 'List State Machines'
        # An EXPRESS machine of that name exists, but not of the type asked for.
        $caught = $null
        Get-UeStepFunctionStateMachine HelloExpress -Type STANDARD @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue
        $caught[0].Exception.ErrorId | Should -Be 'StateMachineNotFound'
    }

    It 'pipes into Get-UeStepFunctionExecution and Start-UeStepFunction by StateMachineArn' {
        $started = @(Get-UeStepFunctionStateMachine Hello @script:Conn | Start-UeStepFunction -Input '{"source":"admin"}' -Wait -PollingInterval 0.05 @script:Conn)
        $started.Count | Should -Be 1
        $started[0].exit_code | Should -Be 0
        $started[0].result.StateMachineArn | Should -Be (Get-StateMachineArn Hello)
        $listed = @(Get-UeStepFunctionStateMachine Hello @script:Conn | Get-UeStepFunctionExecution -First 1 @script:Conn)
        $listed.ExecutionArn | Should -Be $started[0].result.ExecutionArn
    }

    It 'refuses a type outside the set before any request, and the core names the field and the rule' {
        $requests = Get-EndpointRequestCount $script:Endpoint
        { Get-UeStepFunctionStateMachine -Type SOMETIMES @script:Conn } |
            Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException]) -ExpectedMessage '*Type*STANDARD,EXPRESS*'
        Get-EndpointRequestCount $script:Endpoint | Should -Be $requests
        $core = (Get-UeStepFunctionStateMachine Hello @script:Conn).GetType().Assembly
        $service = $core.GetType('AwsStepFunctions.Core.StepFunctionsService', $true)
        $bad = try { $service::ValidateMachineType('SOMETIMES'); $null } catch { $_.Exception.InnerException ?? $_.Exception }
        [int]$bad.ExitCode | Should -Be 20
        $bad.Field | Should -Be 'type'
        $bad.Message | Should -Be "type 'SOMETIMES' must be one of STANDARD, EXPRESS."
        $service::ValidateMachineType('express') | Should -Be 'EXPRESS'
    }

    It 'shows one machine per row in an 80-column table: type, creation date, name' {
        $lines = @((Get-UeStepFunctionStateMachine @script:Conn | Format-Table | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() })
        $lines[0] | Should -Match '^Type\s+CreationDate\s+Name$'
        $lines.Count | Should -Be 8
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $lines[3] | Should -Match '^STANDARD \d{4}-\d\d-\d\d \d\d:\d\d:\d\d Hello$'
        $lines[4] | Should -Match '^EXPRESS  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d HelloExpress$'
    }
}
