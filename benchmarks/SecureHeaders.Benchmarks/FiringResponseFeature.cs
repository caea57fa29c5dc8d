using Microsoft.AspNetCore.Http.Features;

namespace SecureHeaders.Benchmarks;

/// <summary>
/// A response feature that keeps OnStarting callbacks and fires them as a server does when the response starts;
/// DefaultHttpContext's own feature never fires them, which would hide the work done there.
/// </summary>
internal sealed class FiringResponseFeature : HttpResponseFeature
{
    private readonly List<(Func<object, Task> Callback, object State)> _callbacks = new(4);

    public override void OnStarting(Func<object, Task> callback, object state) => _callbacks.Add((callback, state));

    public void Reset()
    {
        _callbacks.Clear();
        StatusCode = 200;
    }

    public Task FireOnStarting()
    {
        for (var i = _callbacks.Count - 1; i >= 0; i--)
        {
            var task = _callbacks[i].Callback(_callbacks[i].State);
            if (!task.IsCompletedSuccessfully)
            {
                return Rest(task, i);
            }
        }

        return Task.CompletedTask;

        async Task Rest(Task pending, int index)
        {
            await pending.ConfigureAwait(false);
            for (var i = index - 1; i >= 0; i--)
            {
                await _callbacks[i].Callback(_callbacks[i].State).ConfigureAwait(false);
            }
        }
    }
}
