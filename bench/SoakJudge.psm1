# Judges one round of the soak: records piped into Start-UeStepFunction -Wait, what the module wrote, and what the
# endpoint holds. The rules are the reliability promises a runbook leans on for hours: no execution started twice, none
# lost, every record answered once, each answer true. Kept apart from the session so a test can feed it a broken round.

<#
.SYNOPSIS
Returns the problems of one round (none when it kept every promise), and what it counted.

.PARAMETER Records
The input objects piped in; each Input is JSON with "i" (its number) and "fail" when the execution is to fail.
.PARAMETER Outputs
The ExtensionOutput objects the cmdlet wrote.
.PARAMETER Errors
The ErrorRecords it wrote (-ErrorVariable). Each carries an ExtensionOutput as its TargetObject.
.PARAMETER Before
The endpoint's execution ARNs of the machine before the round.
.PARAMETER After
The same list after the round.
#>
function Test-SoakRound {
    param(
        [Parameter(Mandatory)][AllowEmptyCollection()][object[]]$Records,
        [Parameter(Mandatory)][AllowEmptyCollection()][object[]]$Outputs,
        [Parameter(Mandatory)][AllowEmptyCollection()][object[]]$Errors,
        [Parameter(Mandatory)][AllowEmptyCollection()][string[]]$Before,
        [Parameter(Mandatory)][AllowEmptyCollection()][string[]]$After
    )
    $problems = [System.Collections.Generic.List[string]]::new()
    $known = [System.Collections.Generic.HashSet[string]]::new([string[]]$Before)
    $started = @($After | Where-Object { -not $known.Contains($_) })
    $startedSet = [System.Collections.Generic.HashSet[string]]::new([string[]]$started)

    $reported = @($Outputs | ForEach-Object { $_.result.ExecutionArn })
    $reportedSet = [System.Collections.Generic.HashSet[string]]::new()
    foreach ($arn in $reported) {
        if (-not $arn) { $problems.Add('an output without an execution ARN'); continue }
        if (-not $reportedSet.Add($arn)) { $problems.Add("reported twice: $arn") }
    }

    # An error about an execution that has an output is that output's own (a FAILED execution is both); any other error is
    # a record whose start did not succeed.
    $startFailures = @($Errors | Where-Object { -not ($_.TargetObject.result.ExecutionArn -and $reportedSet.Contains($_.TargetObject.result.ExecutionArn)) })
    $answered = $Outputs.Count + $startFailures.Count
    if ($answered -ne $Records.Count) { $problems.Add("$($Records.Count) records, $($Outputs.Count) outputs and $($startFailures.Count) start failures") }

    foreach ($arn in $reportedSet) { if (-not $startedSet.Contains($arn)) { $problems.Add("reported, but not started in this round: $arn") } }
    foreach ($arn in $started) { if (-not $reportedSet.Contains($arn)) { $problems.Add("started, but never reported: $arn") } }

    # A start whose answer never came names the execution it would have made and says it was not found: it must not exist.
    $unknownOutcome = 0
    foreach ($failure in $startFailures) {
        if ("$failure" -match 'an execution named (\S+) may have started') {
            $unknownOutcome++
            $name = $Matches[1]
            if ($started | Where-Object { $_.EndsWith(":$name", [StringComparison]::Ordinal) }) { $problems.Add("said not found, but started: $name") }
        }
    }

    foreach ($output in $Outputs) {
        $fields = $output.invocation.fields
        $wantsFailure = "$($fields.input)" -match '"fail"'
        $expected = if ($wantsFailure) { 'FAILED', 23 } else { 'SUCCEEDED', 0 }
        if ($output.result.Status -ne $expected[0] -or $output.exit_code -ne $expected[1]) {
            $problems.Add("$($output.result.ExecutionArn): $($output.result.Status) exit $($output.exit_code), expected $($expected[0]) exit $($expected[1])")
        }
    }

    [pscustomobject]@{
        Problems       = @($problems)
        Started        = $started.Count
        Reported       = $reportedSet.Count
        StartFailures  = $startFailures.Count
        UnknownOutcome = $unknownOutcome
        FailureTexts   = @($startFailures | ForEach-Object { "$_" })
    }
}

Export-ModuleMember -Function Test-SoakRound
