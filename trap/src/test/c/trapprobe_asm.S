/*
 * bd_exec(struct regs *r, int op): loads rax, rbx, rcx, rdx, rsi, rdi, rbp
 * from r (7 quadwords in that order), executes one backdoor instruction and
 * stores all seven registers back into r.
 *   op 0: in eax, dx       op 1: rep outsb        op 2: rep insb
 *   op 3: addr32 rep outsb op 4: addr32 rep insb  op 5: in ax, dx (16-bit, not a backdoor access)
 */
    .text
    .globl bd_exec
    .type bd_exec, @function
bd_exec:
    push %rbp
    push %rbx
    push %r12
    mov %rdi, %r12
    mov %esi, %r11d
    cld
    mov 0(%r12), %rax
    mov 8(%r12), %rbx
    mov 16(%r12), %rcx
    mov 24(%r12), %rdx
    mov 32(%r12), %rsi
    mov 40(%r12), %rdi
    mov 48(%r12), %rbp
    cmp $1, %r11d
    je 1f
    cmp $2, %r11d
    je 2f
    cmp $3, %r11d
    je 3f
    cmp $4, %r11d
    je 4f
    cmp $5, %r11d
    je 5f
    in (%dx), %eax
    jmp 9f
1:  rep outsb
    jmp 9f
2:  rep insb
    jmp 9f
3:  addr32 rep outsb
    jmp 9f
4:  addr32 rep insb
    jmp 9f
5:  in (%dx), %ax
9:  mov %rax, 0(%r12)
    mov %rbx, 8(%r12)
    mov %rcx, 16(%r12)
    mov %rdx, 24(%r12)
    mov %rsi, 32(%r12)
    mov %rdi, 40(%r12)
    mov %rbp, 48(%r12)
    pop %r12
    pop %rbx
    pop %rbp
    ret
    .size bd_exec, .-bd_exec
    .section .note.GNU-stack,"",@progbits
