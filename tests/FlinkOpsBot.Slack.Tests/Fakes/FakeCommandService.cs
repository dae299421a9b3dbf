using System.Collections.Concurrent;
using FlinkOpsBot.Core.Commands;

namespace FlinkOpsBot.Slack.Tests.Fakes;

/// <summary>Records what the adapter hands to the command pipeline and answers with whatever a test sets.</summary>
internal sealed class FakeCommandService : ICommandService
{
    public ConcurrentQueue<ChatCommand> Commands { get; } = new();

    public ConcurrentQueue<ChatAction> Actions { get; } = new();

    public Func<ChatCommand, Task<CommandReply>> OnCommand { get; set; } = _ => Task.FromResult(CommandReply.Private("ok"));

    public Func<ChatAction, Task<CommandReply>> OnAction { get; set; } = _ => Task.FromResult(CommandReply.Private("ok"));

    public bool WasCalled => !Commands.IsEmpty || !Actions.IsEmpty;

    public Task<CommandReply> HandleAsync(ChatCommand command, CancellationToken cancellationToken)
    {
        Commands.Enqueue(command);
        return OnCommand(command);
    }

    public Task<CommandReply> HandleActionAsync(ChatAction action, CancellationToken cancellationToken)
    {
        Actions.Enqueue(action);
        return OnAction(action);
    }
}
