using System.Diagnostics;
using System.Text.RegularExpressions;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.Host.Tests.Local;

/// <summary>
/// The README's demo as a newcomer runs it: the built host, in local mode, reading a script, as a separate process.
/// </summary>
public partial class LocalScriptTests
{
    [Fact]
    public async Task LocalScript_UpgradeDemo_SucceedsThenRollsBack()
    {
        var (exitCode, output) = await RunLocalAsync(Path.Combine(RepoPaths.Root, "samples", "upgrade-demo.flink"));

        Assert.True(exitCode == 0, output);
        var finals = FinalLine().Matches(output).Select(m => m.Groups["state"].Value).ToList();
        Assert.Equal(["Succeeded", "RolledBack"], finals);
        Assert.Contains("Local mode: self-approval is allowed", output);
        Assert.DoesNotContain("   at ", output); // no stack trace reaches the conversation
    }

    [Fact]
    public async Task LocalScript_RefusedLine_ExitsNonZeroAndSaysWhy()
    {
        var script = Path.Combine(Path.GetTempPath(), $"flinkopsbot-{Guid.NewGuid():N}.flink");
        await File.WriteAllTextAsync(script, "# a typo\n/flink upgrade orders-enricher --jarr x.jar\n");
        try
        {
            var (exitCode, output) = await RunLocalAsync(script);

            Assert.Equal(1, exitCode);
            Assert.Contains("Unknown option --jarr for upgrade", output);
            Assert.Contains("1 line(s) were refused.", output);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task LocalScript_RelativePath_IsFoundInTheShellsDirectory()
    {
        // `dotnet run --project src/FlinkOpsBot.Host` starts the host in the project's directory; the path the user typed
        // is relative to the shell's (PWD), as the README's `--script samples/upgrade-demo.flink` is.
        var shellDirectory = Directory.CreateTempSubdirectory("flinkopsbot-shell-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(shellDirectory, "help.flink"), "/flink help\n");

            var (exitCode, output) = await LocalModeProcess.RunAsync(new Dictionary<string, string> { ["PWD"] = shellDirectory }, "--script", "help.flink", "--timeout", "30");
            var (missingCode, missing) = await LocalModeProcess.RunAsync(new Dictionary<string, string> { ["PWD"] = shellDirectory }, "--script", "nope.flink");

            Assert.True(exitCode == 0, output);
            Assert.Contains("/flink upgrade", output, StringComparison.Ordinal);
            Assert.Equal(2, missingCode);
            Assert.Contains($"The script nope.flink does not exist (looked in {Path.Combine(shellDirectory, "nope.flink")}", missing, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(shellDirectory, recursive: true);
        }
    }

    private static Task<(int ExitCode, string Output)> RunLocalAsync(string script) =>
        LocalModeProcess.RunAsync("--script", script, "--timeout", "60");

    [GeneratedRegex(@"^R-[0-9A-Z]{4} upgrade orders-enricher: (?<state>\w+)$", RegexOptions.Multiline)]
    private static partial Regex FinalLine();
}
