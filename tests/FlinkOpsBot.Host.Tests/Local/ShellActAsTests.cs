using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Host.Local;

namespace FlinkOpsBot.Host.Tests.Local;

/// <summary>
/// The local shell acting as different users (<c>as alice: approve R-7Q2K</c>), parsed, and end to end under a strict
/// local policy given through the environment.
/// </summary>
public class ShellActAsTests
{
    public static readonly TheoryData<string, string?, string?> Lines = new()
    {
        // line → acting local user (null: the shell's own), command (null: refused)
        { "as alice: approve R-7Q2K", "alice", "approve R-7Q2K" },
        { "  AS bob.smith-2 :/flink runs  ", "bob.smith-2", "/flink runs" },
        { "approve R-7Q2K", null, "approve R-7Q2K" },
        { "as alice approve R-7Q2K", null, null },       // no colon
        { "as : approve R-7Q2K", null, null },           // no name
        { "as al ice: approve", null, null },            // not a name
        { "as alice:", null, null },                     // no command
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void TryActAs_SplitsTheLocalUserFromTheCommand(string line, string? user, string? command)
    {
        var shell = new Shell(null!, new InMemoryRunStore(), new ShellConsole(TextWriter.Null), TimeProvider.System);

        var ok = shell.TryActAs(line, out var actor, out var text);

        Assert.Equal(command is not null, ok);
        if (command is null) return;
        Assert.Equal(command, text);
        if (user is null) Assert.NotEqual("alice", actor.Id);
        else Assert.Equal(($"local::{user}", user), (actor.Key, actor.DisplayName));
    }

    [Fact]
    public async Task LocalScript_StrictPolicy_OnlyTheNamedLocalUsersMayRequestAndApprove()
    {
        var script = Path.Combine(Path.GetTempPath(), $"flinkopsbot-{Guid.NewGuid():N}.flink");
        await File.WriteAllTextAsync(script, """
            as alice: /flink upgrade orders-enricher --jar orders-enricher-2.4.0.jar
            as carol: approve last
            as alice: approve last
            as bob: approve last
            """);
        var policy = new Dictionary<string, string>
        {
            ["FLINKOPSBOT_Authorization__Rules__0__Requesters__0"] = "local::alice",
            ["FLINKOPSBOT_Authorization__Rules__0__Approvers__0"] = "local::bob",
        };
        try
        {
            var (exitCode, output) = await LocalModeProcess.RunAsync(policy, "--script", script, "--timeout", "60");

            Assert.Equal(1, exitCode);
            Assert.Matches(@"! Approving upgrade on demo \(R-[0-9A-Z]{4}\) needs local::bob; that is not you\.", output);
            Assert.Contains("upgrade orders-enricher: Succeeded", output);
            Assert.Contains("2 line(s) were refused.", output); // carol's, and alice's own approval
            Assert.DoesNotContain("Local mode: self-approval is allowed", output); // the permissive policy is not used
        }
        finally
        {
            File.Delete(script);
        }
    }
}
