using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.Host.Local;

/// <summary>
/// The local shell: reads command lines from the terminal or a script, sends each through the same command pipeline
/// as Slack, and prints the replies. In script mode it waits, before each line, until no run is busy (each is at its
/// gate or ended) — as a person would wait to see the card before typing — and after the last line until every run
/// it started has ended. A line <c>as alice: approve R-7Q2K</c> acts as the local user <c>alice</c> (identity
/// <c>local::alice</c>, which authorization rules can name), so one terminal can play requester and approver.
/// </summary>
internal sealed partial class Shell(ICommandService commands, IRunStore runs, ShellConsole console, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly List<RunId> _started = [];
    private readonly Actor _user = new("local", "", Environment.UserName is { Length: > 0 } name ? name : "you", Environment.UserName is { Length: > 0 } n ? n : "you");

    /// <summary>Reads lines from the terminal until end of input or <c>exit</c>.</summary>
    public async Task<int> RunInteractiveAsync(TextReader input, CancellationToken cancellationToken)
    {
        console.WriteLines([$"FlinkOpsBot local mode. You are {_user.DisplayName} ({_user.Key}); `as NAME: <command>` acts as another local user. Type `/flink help`, or `exit`."]);
        while (!cancellationToken.IsCancellationRequested)
        {
            console.Write("flink> ");
            var line = await input.ReadLineAsync(cancellationToken);
            if (line is null || line.Trim() is "exit" or "quit") break;
            if (IsBlankOrComment(line)) continue;
            await ExecuteAsync(line, cancellationToken);
        }
        return 0;
    }

    /// <summary>Runs a script; 0 when every line was accepted and every run ended within <paramref name="timeout"/>.</summary>
    public async Task<int> RunScriptAsync(IReadOnlyList<string> lines, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        var refused = 0;
        foreach (var line in lines.Where(l => !IsBlankOrComment(l)))
        {
            if (!await WaitUntilQuietAsync(deadline, r => r.State is RunState.AwaitingApproval or RunState.AwaitingDecision || r.State.IsTerminal(), cancellationToken)) break;
            console.WriteLines([$"> {line.Trim()}"]);
            if (!await ExecuteAsync(line, cancellationToken)) refused++;
        }
        var ended = await WaitUntilQuietAsync(deadline, r => r.State.IsTerminal(), cancellationToken);

        var summary = new List<string> { "" };
        var unfinished = 0;
        foreach (var id in _started)
        {
            var run = (await runs.GetAsync(id, cancellationToken))!.Value;
            if (!run.State.IsTerminal()) unfinished++;
            summary.Add($"{run.Id} {run.RecipeId} {run.JobName}: {run.State}");
        }
        if (!ended) summary.Add($"Timed out after {timeout.TotalSeconds:0} s with {unfinished} run(s) not finished.");
        if (refused > 0) summary.Add($"{refused} line(s) were refused.");
        console.WriteLines(summary);
        return refused == 0 && unfinished == 0 ? 0 : 1;
    }

    private async Task<bool> ExecuteAsync(string line, CancellationToken cancellationToken)
    {
        if (!TryActAs(line, out var actor, out var text))
        {
            console.WriteLines(["  ! `as` needs a local user name and a colon, e.g. `as alice: approve R-7Q2K` (names: letters, digits, . _ -)."]);
            return false;
        }
        var reply = await commands.HandleAsync(new ChatCommand(text, actor, ChannelRef.LocalShell), cancellationToken);
        if (reply.RunId is { } id && !_started.Contains(id)) _started.Add(id);
        console.WriteLines(reply.Text.Split('\n').Select(l => (reply.Accepted ? "  " : "  ! ") + l));
        if (reply.File is { } file) console.WriteLines([$"  --- {file.FileName} ---", .. file.Content.TrimEnd().Split('\n').Select(l => "  " + l), "  ---"]);
        return reply.Accepted;
    }

    private async Task<bool> WaitUntilQuietAsync(DateTimeOffset deadline, Func<Run, bool> quiet, CancellationToken cancellationToken)
    {
        while (true)
        {
            var busy = false;
            foreach (var id in _started)
            {
                if (await runs.GetAsync(id, cancellationToken) is { } stored && !quiet(stored.Value)) busy = true;
            }
            if (!busy) return true;
            if (time.GetUtcNow() >= deadline) return false;
            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    /// <summary>
    /// Splits <c>as alice: approve R-7Q2K</c> into the local user <c>alice</c> and the command; any other line is the
    /// shell's own user's. False when a line starts with <c>as </c> but names no usable user.
    /// </summary>
    internal bool TryActAs(string line, out Actor actor, out string text)
    {
        var trimmed = line.Trim();
        actor = _user;
        text = trimmed;
        if (!trimmed.StartsWith("as ", StringComparison.OrdinalIgnoreCase)) return true;
        var match = ActAs().Match(trimmed);
        if (!match.Success) return false;
        var name = match.Groups["name"].Value;
        actor = new Actor("local", "", name, name);
        text = match.Groups["command"].Value.Trim();
        return text.Length > 0;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^as\s+(?<name>[A-Za-z0-9._-]{1,64})\s*:\s*(?<command>.*)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex ActAs();

    private static bool IsBlankOrComment(string line) => line.Trim() is "" || line.TrimStart().StartsWith('#');
}
