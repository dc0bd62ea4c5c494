# A Distributed Map's children through the BUILT module: each item runs as a child execution of a Map Run, whose ARN
# names the machine and the Map's label (machine/label). Get- and Wait-UeStepFunction read STANDARD and EXPRESS
# children (AWS describes EXPRESS executions that a Map Run dispatched, and no others); Stop refuses an EXPRESS child
# before any request. The Map Run and its children are found with hand-signed requests, independently of the module's
# own Get-UeStepFunctionMapRun and Get-UeStepFunctionExecution -MapRunArn (Cmdlets.MapRuns.Tests.ps1 tests those).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleManifestPath) -Force
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "mapruns-$([guid]::NewGuid().ToString('n'))"
    $script:Endpoint = Start-TestEndpoint -WorkDirectory $script:Work
    $script:Conn = Get-ConnectionParameters $script:Endpoint

    <# A machine whose Distributed Map doubles each item in a child execution of the given type. #>
    function New-FanOutMachine {
        param([Parameter(Mandatory)][string]$Name, [Parameter(Mandatory)][string]$ChildType)
        $definition = @{
            StartAt = 'FanOut'
            States  = @{
                FanOut = @{
                    Type = 'Map'; Label = 'Doubler'; ItemsPath = '$.items'; MaxConcurrency = 2; End = $true
                    ItemProcessor = @{
                        ProcessorConfig = @{ Mode = 'DISTRIBUTED'; ExecutionType = $ChildType }
                        StartAt = 'Double'
                        States = @{ Double = @{ Type = 'Pass'; Parameters = @{ 'twice.$' = 'States.MathAdd($, $)' }; End = $true } }
                    }
                }
            }
        } | ConvertTo-Json -Depth 10 -Compress
        (Invoke-SignedStepFunctions $script:Endpoint -Operation CreateStateMachine -Body @{
            name = $Name; definition = $definition; roleArn = 'arn:aws:iam::123456789012:role/LocalStepFunctions' }).stateMachineArn
    }

    <# Runs the machine through the module and returns the parent's result and its Map Run's children, in item order. #>
    function Invoke-FanOut([string]$Machine) {
        $parent = Start-UeStepFunction -StateMachineArn $Machine -Input '{"items":[1,2,3]}' -Wait -PollingInterval 0.2 @script:Conn
        $mapRun = (Invoke-SignedStepFunctions $script:Endpoint -Operation ListMapRuns -Body @{ executionArn = $parent.result.ExecutionArn }).mapRuns[0].mapRunArn
        $children = (Invoke-SignedStepFunctions $script:Endpoint -Operation ListExecutions -Body @{ mapRunArn = $mapRun }).executions
        [pscustomobject]@{ Parent = $parent; MapRun = $mapRun; Children = @($children | Sort-Object startDate, name) }
    }

    $script:Standard = Invoke-FanOut (New-FanOutMachine 'FanOutStandard' -ChildType STANDARD)
    $script:Express = Invoke-FanOut (New-FanOutMachine 'FanOutExpress' -ChildType EXPRESS)
}

AfterAll {
    if ($script:Endpoint) { $script:Endpoint.Stop() }
    if ($script:Work -and (Test-Path $script:Work)) { Remove-Item -Recurse -Force $script:Work }
}

Describe 'A Distributed Map through the module' {
    It 'runs every item as a child and the parent outputs their results in item order (<Kind> children)' -ForEach @(
        @{ Kind = 'STANDARD' }, @{ Kind = 'EXPRESS' }) {
        $run = if ($Kind -eq 'STANDARD') { $script:Standard } else { $script:Express }
        $run.Parent.exit_code | Should -Be 0
        $run.Parent.result.Output | Should -BeExactly '[{"twice":2},{"twice":4},{"twice":6}]'
        $run.MapRun | Should -Match ':mapRun:FanOut(Standard|Express)/Doubler:'
        $run.Children.Count | Should -Be 3
    }

    It 'reads and waits for a STANDARD child by its ARN, which names the machine and the label' {
        $child = $script:Standard.Children[0]
        $child.executionArn | Should -Match ':execution:FanOutStandard/Doubler:'
        $read = Get-UeStepFunctionResult -ExecutionArn $child.executionArn @script:Conn
        $read.exit_code | Should -Be 0
        $read.result.Status | Should -Be 'SUCCEEDED'
        $read.result.Output | Should -BeIn '{"twice":2}', '{"twice":4}', '{"twice":6}'
        # As DescribeExecution names it: the machine with the Map's label.
        $read.result.StateMachineArn | Should -BeExactly 'arn:aws:states:us-east-1:123456789012:stateMachine:FanOutStandard/Doubler'
        $waited = Wait-UeStepFunction -ExecutionArn $child.executionArn -PollingInterval 0.2 @script:Conn
        $waited.result.Status | Should -Be 'SUCCEEDED'
        $waited.result.ExecutionArn | Should -BeExactly $child.executionArn
    }

    It 'reads an EXPRESS child, which AWS describes because a Map Run dispatched it' {
        $child = $script:Express.Children[0]
        $child.executionArn | Should -Match ':express:FanOutExpress/Doubler:'
        $read = Get-UeStepFunctionResult -ExecutionArn $child.executionArn @script:Conn
        $read.exit_code | Should -Be 0 -Because ($read | ConvertTo-Json -Depth 5)
        $read.result.Status | Should -Be 'SUCCEEDED'
        (Wait-UeStepFunction -ExecutionArn $child.executionArn -PollingInterval 0.2 @script:Conn).result.Status | Should -Be 'SUCCEEDED'
    }

    It 'refuses to stop an EXPRESS child before sending anything (exit 20)' {
        $before = Get-EndpointRequestCount $script:Endpoint
        $null = Stop-UeStepFunction -ExecutionArn $script:Express.Children[0].executionArn -Confirm:$false @script:Conn -ErrorAction SilentlyContinue -ErrorVariable stopErrors
        $stopErrors[0].FullyQualifiedErrorId | Should -BeLike 'ExpressExecutionNotTracked,*'
        $stopErrors[0].TargetObject.exit_code | Should -Be 20
        $stopErrors[0].Exception.Message | Should -BeLike '*cannot be stopped*'
        Get-EndpointRequestCount $script:Endpoint | Should -Be $before
    }
}
