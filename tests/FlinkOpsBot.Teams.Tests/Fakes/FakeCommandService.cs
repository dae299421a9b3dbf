using System.Collections.Concurrent;
using System.Threading.Channels;
using FlinkOpsBot.Core.Commands;

namespace FlinkOpsBot.Teams.Tests.Fakes;

/// <summary>Records what the adapter hands to the command pipeline and answers with whatever a test sets.</summary>
internal sealed class FakeCommandService : ICommandService
{
    private readonly Channel<object> _calls = Channel.CreateUnbounded<object>();

    public ConcurrentQueue<ChatCommand> Commands { get; } = new();

    public ConcurrentQueue<ChatAction> Actions { get; } = new();

    public Func<ChatCommand, Task<CommandReply>> OnCommand { get; set; } = _ => Task.FromResult(CommandReply.Private("ok"));

    public Func<ChatAction, Task<CommandReply>> OnAction { get; set; } = _ => Task.FromResult(CommandReply.Private("ok"));

    public bool WasCalled => !Commands.IsEmpty || !Actions.IsEmpty;

    /// <summary>The next command or action handed over; fails the test if none comes within 10 seconds.</summary>
    public async Task<object> NextCallAsync() => await _calls.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public Task<CommandReply> HandleAsync(ChatCommand command, CancellationToken cancellationToken)
    {
        Commands.Enqueue(command);
        _calls.Writer.TryWrite(command);
        return OnCommand(command);
    }

    public Task<CommandReply> HandleActionAsync(ChatAction action, CancellationToken cancellationToken)
    {
        Actions.Enqueue(action);
        _calls.Writer.TryWrite(action);
        return OnAction(action);
    }
}
