using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Host.Local;

/// <summary>
/// The local shell's chat channel: every timeline event as one line, and the whole card (as text) when the gate
/// opens and when the run ends — what a person in Slack would look at.
/// </summary>
internal sealed class ShellChannel(ShellConsole console) : IChatChannel
{
    public string Platform => "local";

    public Task PublishAsync(RunUpdate update, CancellationToken cancellationToken)
    {
        var lines = update.NewEvents.Select(e => $"  {update.Run.Id} {e.At:HH:mm:ss} {e.Text}").ToList();
        var entered = update.NewEvents.LastOrDefault(e => e.Kind == TimelineEventKind.Transition) is not null;
        if (entered && (update.Run.State is RunState.AwaitingApproval or RunState.AwaitingDecision || update.Run.State.IsTerminal()))
        {
            lines.Add(TextCardRenderer.Render(update.Card));
        }
        if (lines.Count > 0) console.WriteLines(lines);
        return Task.CompletedTask;
    }
}

/// <summary>The terminal, shared by the shell and the channel so their lines never interleave mid-line.</summary>
internal sealed class ShellConsole(TextWriter output)
{
    private readonly Lock _gate = new();

    public void WriteLines(IEnumerable<string> lines)
    {
        lock (_gate)
        {
            foreach (var line in lines) output.WriteLine(line);
            output.Flush();
        }
    }

    public void Write(string text)
    {
        lock (_gate)
        {
            output.Write(text);
            output.Flush();
        }
    }
}
