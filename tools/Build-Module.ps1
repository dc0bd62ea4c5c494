# Lays out the importable module at the repository root after `dotnet build`:
#   bin/            the cmdlet assembly and the loader (loaded by PowerShell into the default context)
#   bin/deps/       AwsStepFunctions.Core and AWSSDK.* (loaded into the module's own load context on PowerShell 7)
#   bin/deps/<rid>/ ReadyToRun images of those (the core and AWSSDK.*) for PowerShell 7 on .NET 10+ (win-x64, linux-x64): the first call
#                   after import runs precompiled code instead of waiting for the JIT. The loader falls back to the
#                   IL copies in bin/deps/ on any other runtime, OS or architecture, and Windows PowerShell never sees them.
#   en-US/          MAML help generated from the cmdlets' metadata and docs/help (tools/New-ModuleHelp.ps1)
param(
    [string]$Configuration = 'Release',
    # Skip the MAML step (it imports the module in a child pwsh); for quick layout-only iterations.
    [switch]$SkipHelp,
    # Lay out IL only (no bin/deps/<rid>/ images); the module works the same, its first call is slower.
    [switch]$SkipReadyToRun
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$RepoRoot = Split-Path -Parent $PSScriptRoot
$bin = Join-Path $RepoRoot 'bin'
$deps = Join-Path $bin 'deps'
$publish = Join-Path $RepoRoot 'artifacts/publish/module'

if (Test-Path $publish) { Remove-Item -Recurse -Force $publish }
& dotnet publish (Join-Path $RepoRoot 'src/AwsStepFunctions/AwsStepFunctions.csproj') -c $Configuration --no-build -nologo -v q -o $publish | Out-Null
if ($LASTEXITCODE) { throw "dotnet publish failed ($LASTEXITCODE)" }
$loader = Join-Path $RepoRoot "src/AwsStepFunctions.Loader/bin/$Configuration/netstandard2.0/AwsStepFunctions.Loader.dll"
if (-not (Test-Path $loader)) { throw "The loader is not built ($loader). Build the solution first." }

if (Test-Path $bin) { Remove-Item -Recurse -Force $bin }
New-Item -ItemType Directory -Force $deps | Out-Null

# Only the cmdlet assembly and the loader sit where PowerShell looks; everything they depend on goes to
# deps/, out of reach of PowerShell's own probing, so only the loader decides where it comes from.
$defaultContext = @('AwsStepFunctions.dll', 'AwsStepFunctions.pdb')
foreach ($file in Get-ChildItem $publish -File) {
    if ($file.Extension -notin '.dll', '.pdb') { continue }
    $target = if ($file.Name -in $defaultContext) { $bin } else { $deps }
    Copy-Item $file.FullName $target
}
Copy-Item $loader $bin
$loaderPdb = [IO.Path]::ChangeExtension($loader, '.pdb')
if (Test-Path $loaderPdb) { Copy-Item $loaderPdb $bin }

# The assemblies precompiled per platform: ours and the AWS SDK's. The rest of bin/deps (System.Text.Json and
# friends) is never loaded from there on PowerShell 7, which has newer, already precompiled copies of its own.
# AWSSDK.SSO and AWSSDK.SSOOIDC load only for an IAM Identity Center profile; they are compiled too, and are references
# of the core's image, whose SSO code calls them.
$readyToRunAssemblies = @('AwsStepFunctions.Core', 'AWSSDK.Core', 'AWSSDK.SecurityToken', 'AWSSDK.SSO', 'AWSSDK.SSOOIDC')
$readyToRunTargets = [ordered]@{ 'linux-x64' = @{ Os = 'linux'; Arch = 'x64' }; 'win-x64' = @{ Os = 'windows'; Arch = 'x64' } }

function Get-PinnedVersion {
    param([string]$Package)
    [xml]$props = Get-Content -Raw (Join-Path $RepoRoot 'Directory.Packages.props')
    $entry = $props.Project.ItemGroup.PackageVersion | Where-Object Include -eq $Package
    if (-not $entry) { throw "Directory.Packages.props pins no version of $Package" }
    $entry.Version
}

function Get-HostRid {
    $arch = [Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant()
    $os = if ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    "$os-$arch"
}

# Downloads (once, into the NuGet cache) crossgen2 for this machine and the target runtimes, through a throwaway
# project, so the versions come from Directory.Packages.props and the feed from the usual NuGet configuration.
function Restore-ReadyToRunPacks {
    $hostRid = Get-HostRid
    $compilerId = "Microsoft.NETCore.App.Crossgen2.$hostRid"
    $ids = @($compilerId) + @($readyToRunTargets.Keys | ForEach-Object { "Microsoft.NETCore.App.Runtime.$_" })
    $downloads = foreach ($id in $ids) { "    <PackageDownload Include=`"$id`" Version=`"[$(Get-PinnedVersion $id)]`" />" }
    $restoreDir = Join-Path $RepoRoot 'artifacts/readytorun/packs'
    New-Item -ItemType Directory -Force $restoreDir | Out-Null
    $project = Join-Path $restoreDir 'ReadyToRunPacks.csproj'
    @(
        '<Project Sdk="Microsoft.NET.Sdk">'
        '  <PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup>'
        '  <ItemGroup>'
        $downloads
        '  </ItemGroup>'
        '</Project>'
    ) | Set-Content -Encoding utf8NoBOM $project
    $output = & dotnet restore $project -nologo -v q 2>&1
    if ($LASTEXITCODE) { throw "restoring $($ids -join ', ') failed: $($output -join ' ')" }
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $packageDir = { param($id) Join-Path $packages "$($id.ToLowerInvariant())/$(Get-PinnedVersion $id)" }
    $compilerDir = Join-Path (& $packageDir $compilerId) 'tools'
    # The pack ships crossgen2 as a single-file executable; a framework-dependent crossgen2.dll runs through dotnet.
    $compiler = @('crossgen2.exe', 'crossgen2') | ForEach-Object { Join-Path $compilerDir $_ } | Where-Object { Test-Path $_ -PathType Leaf } | Select-Object -First 1
    $compilerArguments = @()
    if (-not $compiler -and (Test-Path (Join-Path $compilerDir 'crossgen2.dll'))) {
        $compiler = 'dotnet'
        $compilerArguments = @(Join-Path $compilerDir 'crossgen2.dll')
    }
    if (-not $compiler) { throw "crossgen2 is missing from $compilerDir" }
    $frameworks = @{}
    foreach ($rid in $readyToRunTargets.Keys) {
        $frameworks[$rid] = Join-Path (& $packageDir "Microsoft.NETCore.App.Runtime.$rid") "runtimes/$rid/lib/net10.0"
    }
    @{ Compiler = $compiler; CompilerArguments = $compilerArguments; Frameworks = $frameworks }
}

# Compiles bin/deps/<rid>/ from the IL in bin/deps. The images are cached under artifacts/readytorun/<rid>, keyed by a
# hash of the IL and the compiler, so an unchanged build copies them instead of compiling again.
function New-ReadyToRunImages {
    $inputs = $readyToRunAssemblies | ForEach-Object { Join-Path $deps "$_.dll" }
    $packs = $null
    foreach ($rid in $readyToRunTargets.Keys) {
        $key = (($inputs | ForEach-Object { (Get-FileHash -Algorithm SHA256 $_).Hash }) + (Get-PinnedVersion 'Microsoft.NETCore.App.Runtime.linux-x64')) -join ','
        $cache = Join-Path $RepoRoot "artifacts/readytorun/$rid"
        $stamp = Join-Path $cache 'inputs.key'
        if (-not ((Test-Path $stamp) -and (Get-Content -Raw $stamp).Trim() -eq $key)) {
            if (-not $packs) { $packs = Restore-ReadyToRunPacks }
            if (Test-Path $cache) { Remove-Item -Recurse -Force $cache }
            New-Item -ItemType Directory -Force $cache | Out-Null
            $target = $readyToRunTargets[$rid]
            foreach ($assembly in $inputs) {
                # Every other input is a reference, never part of this image's version bubble: each image stays valid
                # whatever the others become, and the runtime checks every cross-assembly assumption when it loads one.
                $references = @("$($packs.Frameworks[$rid])/*.dll") + @($inputs | Where-Object { $_ -ne $assembly })
                $arguments = @($assembly, '-o', (Join-Path $cache (Split-Path -Leaf $assembly)), '-O', '--targetos', $target.Os, '--targetarch', $target.Arch)
                foreach ($reference in $references) { $arguments += @('-r', $reference) }
                $output = & $packs.Compiler @($packs.CompilerArguments + $arguments) 2>&1
                if ($LASTEXITCODE) { throw "crossgen2 failed on $assembly for ${rid}: $($output -join ' ')" }
            }
            Set-Content -Encoding utf8NoBOM $stamp $key
        }
        $ridDir = Join-Path $deps $rid
        New-Item -ItemType Directory -Force $ridDir | Out-Null
        Copy-Item (Join-Path $cache '*.dll') $ridDir
    }
}

if (-not $SkipReadyToRun) {
    try { New-ReadyToRunImages }
    catch {
        # The IL layout is complete and correct on its own; only the first call's speed depends on this step.
        Write-Warning "ReadyToRun images were not built, the module uses IL only: $($_.Exception.Message)"
        Get-ChildItem $deps -Directory | Remove-Item -Recurse -Force
    }
}

if (-not $SkipHelp) {
    # A child pwsh imports the freshly laid-out module to read its metadata; the build's own session
    # never loads (and so never locks) the module's assemblies.
    # $PSHOME's own executable: under `dotnet pwsh` the current process is dotnet itself.
    $pwsh = Join-Path $PSHOME $(if ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') { 'pwsh.exe' } else { 'pwsh' })
    & $pwsh -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'New-ModuleHelp.ps1') -ModulePath (Join-Path $RepoRoot 'AwsStepFunctions.psd1')
    if ($LASTEXITCODE) { throw "Help generation failed ($LASTEXITCODE)" }
}
