package com.example.tasks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;

/** The tasks: an ordinary Spring service, which the SSH commands use like any other bean would. */
@Service
public class TaskService {
    /**
     * One task.
     *
     * @param id its number
     * @param text what is to be done
     * @param owner who added it
     */
    public record Task(int id, String text, String owner) {}

    private final Map<Integer, Task> open = new ConcurrentSkipListMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    /**
     * @param text what is to be done
     * @param owner who adds it
     * @return the new task
     */
    public Task add(String text, String owner) {
        Task task = new Task(ids.incrementAndGet(), text, owner);
        open.put(task.id(), task);
        return task;
    }

    /** @return the open tasks, oldest first */
    public List<Task> open() {
        return List.copyOf(open.values());
    }

    /**
     * @param id a task's number
     * @return whether it was open
     */
    public boolean done(int id) {
        return open.remove(id) != null;
    }
}
