// search client comes next
